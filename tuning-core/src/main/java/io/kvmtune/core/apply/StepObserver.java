package io.kvmtune.core.apply;

/**
 * Hears of each completed {@link ApplyStep}: for progress output, and for fault tests that stop
 * the applying process between two steps and then check that {@code restore} recovers.
 */
@FunctionalInterface
public interface StepObserver {

    StepObserver NONE = step -> { };

    void completed(ApplyStep step);
}
