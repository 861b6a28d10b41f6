package io.kvmtune.agent;

import io.kvmtune.core.InvalidInputException;
import java.util.Locale;

/** What the agent does when a tuned thread's affinity or policy no longer is the plan's ({@code [agent] drift}). */
public enum DriftMode {
    /** Log what changed and apply the plan to the thread again. */
    REPAIR,
    /** Log what changed and count it; leave the thread as someone set it. */
    REPORT;

    /** {@code repair} or {@code report}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws InvalidInputException (key {@code [agent] drift}) for another value */
    public static DriftMode of(String value) {
        for (DriftMode m : values()) {
            if (m.label().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw InvalidInputException.invalid("[agent] drift", value, "must be repair or report");
    }
}
