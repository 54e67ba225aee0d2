package io.github.pgqueue.store;

import javax.sql.DataSource;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The engine's persistence seam: one store per concern over one schema's tables, all sharing one
 * {@link JdbcClient}, so that every write joins the caller's Spring-managed transaction when there
 * is one. Internal: not part of the public API.
 * <ul>
 * <li>{@link #enqueue()}: inserts, the idempotency-key lookup, the backlog count, the wake-up;</li>
 * <li>{@link #leases()}: claim, renew, complete, fail, release;</li>
 * <li>{@link #maintenance()}: rescue and prune;</li>
 * <li>{@link #queries()}: find, list, counts, dead letter, cancel and retry;</li>
 * <li>{@link #queues()}: pause and resume;</li>
 * <li>{@link #periodic()}: periodic jobs' last ticks;</li>
 * <li>{@link #sideEffects()}: the {@code runOnce} ledger.</li>
 * </ul>
 */
public final class JobStore {

	private final JdbcClient jdbc;

	private final PoolerDiagnosis poolerDiagnosis;

	private final Tables tables;

	private final EnqueueStore enqueue;

	private final LeaseStore leases;

	private final MaintenanceStore maintenance;

	private final QueryStore queries;

	private final QueueStore queues;

	private final PeriodicStore periodic;

	private final SideEffectStore sideEffects;

	public JobStore(DataSource dataSource, String schema, JsonMapper json) {
		JdbcTemplate template = new JdbcTemplate(dataSource);
		this.poolerDiagnosis = new PoolerDiagnosis(template.getExceptionTranslator());
		template.setExceptionTranslator(this.poolerDiagnosis);
		this.jdbc = JdbcClient.create(template);
		this.tables = new Tables(schema);
		this.enqueue = new EnqueueStore(this.jdbc, this.tables);
		this.leases = new LeaseStore(this.jdbc, this.tables);
		this.maintenance = new MaintenanceStore(this.jdbc, this.tables);
		this.queries = new QueryStore(this.jdbc, this.tables, json);
		this.queues = new QueueStore(this.jdbc, this.tables);
		this.periodic = new PeriodicStore(this.jdbc, this.tables);
		this.sideEffects = new SideEffectStore(this.jdbc, this.tables);
	}

	/** @return the tables this store reads and writes */
	public Tables tables() {
		return this.tables;
	}

	public EnqueueStore enqueue() {
		return this.enqueue;
	}

	public LeaseStore leases() {
		return this.leases;
	}

	public MaintenanceStore maintenance() {
		return this.maintenance;
	}

	public QueryStore queries() {
		return this.queries;
	}

	public QueueStore queues() {
		return this.queues;
	}

	public PeriodicStore periodic() {
		return this.periodic;
	}

	public SideEffectStore sideEffects() {
		return this.sideEffects;
	}

	/** @return what it learned of statements failing behind a connection pooler in transaction mode */
	public PoolerDiagnosis poolerDiagnosis() {
		return this.poolerDiagnosis;
	}

	/** Runs a trivial query: throws when the database cannot be reached. */
	public void ping() {
		this.jdbc.sql("SELECT 1").query(Integer.class).single();
	}

}
