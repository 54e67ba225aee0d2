package io.github.pgqueue.dashboard;

import java.util.Locale;
import java.util.Optional;

/**
 * What an operator may do from the dashboard. The destructive ones take a confirmation step first.
 */
enum DashboardAction {

	RETRY("retry", "Retry job", false),

	CANCEL("cancel", "Cancel job", true),

	DISCARD("discard", "Discard dead job", true),

	RETRY_DEAD("retry-dead", "Retry every dead job of kind", true),

	PAUSE("pause", "Pause queue", true),

	RESUME("resume", "Resume queue", false);

	private final String path;

	private final String label;

	private final boolean destructive;

	DashboardAction(String path, String label, boolean destructive) {
		this.path = path;
		this.label = label;
		this.destructive = destructive;
	}

	String path() {
		return this.path;
	}

	String label() {
		return this.label;
	}

	boolean destructive() {
		return this.destructive;
	}

	static Optional<DashboardAction> of(String path) {
		for (DashboardAction action : values()) {
			if (action.path.equals(path.toLowerCase(Locale.ROOT))) {
				return Optional.of(action);
			}
		}
		return Optional.empty();
	}

}
