package io.kvmtune.agent;

/** What the agent does when a tuned thread's affinity or policy no longer is the plan's ({@code [agent] drift}). */
public enum DriftMode {
    /** Log what changed and apply the plan to the thread again. */
    REPAIR,
    /** Log what changed and count it; leave the thread as someone set it. */
    REPORT;

    /** {@code repair} or {@code report}. */
    public String label() {
        return SettingChoice.label(this);
    }

    /** @throws io.kvmtune.core.InvalidInputException (key {@code [agent] drift}) for another value */
    public static DriftMode of(String value) {
        return SettingChoice.of(DriftMode.class, "drift", value);
    }
}
