/**
 * A chaos run: worker JVMs on the pgqueue starter process a stream of jobs while their processes are
 * killed, their connections cut and the database restarted; at the end the guarantees are checked.
 */
@NullMarked
package io.github.pgqueue.chaos;

import org.jspecify.annotations.NullMarked;
