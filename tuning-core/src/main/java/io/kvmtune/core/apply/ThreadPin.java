package io.kvmtune.core.apply;

/**
 * A hold on one thread, taken when an apply starts and checked after each batch of calls on its
 * id: while {@link #alive()} answers true, the id has named that thread all along, so every call
 * made on the id since the thread was found reached it and no thread that reused the id.
 */
@FunctionalInterface
public interface ThreadPin extends AutoCloseable {

    /** Whether the pinned thread still exists with the start time it was found with. */
    boolean alive();

    /** Lets go of the thread; the default holds nothing. */
    @Override
    default void close() {
    }
}
