package io.github.pgqueue;

/**
 * What a periodic job does about ticks that passed while no node ran (a tick is missed when it is
 * more than 30 seconds old by the time a node sees it).
 */
public enum MissedTicks {

	/** Drop missed ticks; the schedule resumes with its next tick. */
	SKIP,

	/** The default: one job now stands for all the missed ticks, then the schedule resumes. */
	ONCE,

	/** One job per missed tick (at most 1,000), each carrying its own tick. */
	ALL

}
