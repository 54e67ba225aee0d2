package io.github.pgqueue.execute;

import io.github.pgqueue.JobContext;

/**
 * Calls one handler with a payload already read into its type.
 */
@FunctionalInterface
public interface HandlerInvoker {

	/**
	 * @param payload the payload, of the registration's payload type
	 * @param context the attempt's context
	 * @throws Exception any failure of the handler, unwrapped
	 */
	void invoke(Object payload, JobContext context) throws Exception;

}
