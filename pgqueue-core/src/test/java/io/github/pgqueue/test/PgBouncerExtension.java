package io.github.pgqueue.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class one {@link PgBouncer}, started before its first test (or at the first
 * {@link #get()}, for a Spring test's {@code @DynamicPropertySource}) and stopped after its last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PgBouncerExtension bouncer = new PgBouncerExtension(3);
 * }</pre>
 */
public final class PgBouncerExtension implements BeforeAllCallback, AfterAllCallback {

	private final int poolSize;

	private volatile PgBouncer bouncer;

	/** @param poolSize PgBouncer's server connections to the database */
	public PgBouncerExtension(int poolSize) {
		this.poolSize = poolSize;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		get();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		PgBouncer bouncer = this.bouncer;
		if (bouncer != null) {
			bouncer.close();
			this.bouncer = null;
		}
	}

	/** @return the running PgBouncer, started now if it is not yet */
	public synchronized PgBouncer get() {
		if (this.bouncer == null) {
			this.bouncer = PgBouncer.start(this.poolSize);
		}
		return this.bouncer;
	}

}
