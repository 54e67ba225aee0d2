package io.github.pgqueue.store;

import java.util.function.Supplier;

import javax.sql.DataSource;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The engine's persistence seam: one store per concern over one schema's tables, all sharing one
 * {@link JdbcClient}, so that every write joins the caller's Spring-managed transaction when there
 * is one. Internal: not part of the public API.
 * <ul>
 * <li>{@link #enqueue()}: inserts, the idempotency-key lookup, the backlog count, the wake-up;</li>
 * <li>{@link #claims()}: the claim;</li>
 * <li>{@link #leases()}: start, renew, complete, fail, release;</li>
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

	private final ClaimStore claims;

	private final LeaseStore leases;

	private final MaintenanceStore maintenance;

	private final QueryStore queries;

	private final MonitorStore monitor;

	private final QueueStore queues;

	private final PeriodicStore periodic;

	private final SideEffectStore sideEffects;

	private final TransactionTemplate transaction;

	public JobStore(DataSource dataSource, String schema, JsonMapper json) {
		JdbcTemplate template = new JdbcTemplate(dataSource);
		this.poolerDiagnosis = new PoolerDiagnosis(template.getExceptionTranslator());
		template.setExceptionTranslator(this.poolerDiagnosis);
		this.jdbc = JdbcClient.create(template);
		this.tables = new Tables(schema);
		this.enqueue = new EnqueueStore(this.jdbc, this.tables);
		this.claims = new ClaimStore(this.jdbc, this.tables);
		this.leases = new LeaseStore(this.jdbc, this.tables);
		this.maintenance = new MaintenanceStore(this.jdbc, this.tables,
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
		this.monitor = new MonitorStore(this.jdbc, this.tables);
		this.queries = new QueryStore(this.jdbc, this.tables, json);
		this.queues = new QueueStore(this.jdbc, this.tables);
		this.periodic = new PeriodicStore(this.jdbc, this.tables);
		this.sideEffects = new SideEffectStore(dataSource, this.tables);
		this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	/**
	 * Runs several statements as one transaction: the caller's Spring-managed transaction when one
	 * is active, else one of its own over the store's {@code DataSource}, committed when
	 * {@code work} returns and rolled back when it throws.
	 */
	public <T> T inOneTransaction(Supplier<T> work) {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			return work.get();
		}
		return this.transaction.execute((status) -> work.get());
	}

	/** @return the tables this store reads and writes */
	public Tables tables() {
		return this.tables;
	}

	public EnqueueStore enqueue() {
		return this.enqueue;
	}

	public ClaimStore claims() {
		return this.claims;
	}

	public LeaseStore leases() {
		return this.leases;
	}

	/**
	 * @param connections where the statements run instead of the engine's DataSource (the heartbeat's
	 * reserved connection)
	 * @return the lease statements on those connections
	 */
	public LeaseStore leasesOn(DataSource connections) {
		return new LeaseStore(JdbcClient.create(connections), this.tables);
	}

	public MaintenanceStore maintenance() {
		return this.maintenance;
	}

	public QueryStore queries() {
		return this.queries;
	}

	/** @return what health and the gauges read all the time */
	public MonitorStore monitor() {
		return this.monitor;
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

	/** @return this installation's id, created with the schema (changeset 007) */
	public String installationId() {
		return this.jdbc.sql(this.tables.sql("SELECT CAST(id AS text) FROM {installation}")).query(String.class).single();
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
