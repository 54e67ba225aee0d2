package io.github.pgqueue.autoconfigure.schema;

import java.util.Map;
import java.util.logging.Level;

import liquibase.Scope;
import liquibase.logging.LogService;
import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Liquibase with its progress lines (some 35 at INFO on a first start) left out and its
 * warnings and errors kept, logged under {@code liquibase}; pgqueue logs one line of its own. Only
 * loaded when Liquibase is on the class path.
 */
final class QuietLiquibase {

	private QuietLiquibase() {
	}

	static void run(Runnable migration) {
		try {
			Scope.child(Map.of(Scope.Attr.logService.name(), new WarningsOnly()), migration::run);
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static final class WarningsOnly extends AbstractLogService implements LogService {

		@Override
		public int getPriority() {
			return PRIORITY_SPECIALIZED;
		}

		@Override
		public liquibase.logging.Logger getLog(Class clazz) {
			Logger target = LoggerFactory.getLogger("liquibase." + clazz.getSimpleName());
			return new AbstractLogger() {

				@Override
				public void log(Level level, String message, @Nullable Throwable ex) {
					if (level.intValue() >= Level.SEVERE.intValue()) {
						target.error(message, ex);
					}
					else if (level.intValue() >= Level.WARNING.intValue()) {
						target.warn(message, ex);
					}
				}

			};
		}

	}

}
