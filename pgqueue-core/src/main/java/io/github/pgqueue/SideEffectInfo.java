package io.github.pgqueue;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One {@link JobContext#runOnce} step of a job, as {@link JobInfo#sideEffects()} shows it.
 *
 * @param key the step's key
 * @param state its state
 * @param attempt the attempt that started (and, when succeeded, recorded) it
 * @param startedAt when it was started, by the database clock
 * @param completedAt when its success was recorded
 */
public record SideEffectInfo(String key, SideEffectState state, int attempt, Instant startedAt,
		@Nullable Instant completedAt) {
}
