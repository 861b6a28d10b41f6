package io.kvmtune.core.apply;

import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.linux.SchedPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A thread's scheduling attributes as {@code sched_getattr(2)} reports them: enough to put back
 * exactly what was there, including nice, the reset-on-fork flag and deadline parameters.
 *
 * @param policy the policy
 * @param priority the static priority, 1..99 for fifo/rr, else 0
 * @param nice the nice value, -20..19 (kept by the kernel across realtime policies)
 * @param flags {@code sched_flags} ({@code SCHED_FLAG_RESET_ON_FORK} = 1, ...)
 * @param runtimeNs SCHED_DEADLINE runtime, else 0
 * @param deadlineNs SCHED_DEADLINE deadline, else 0
 * @param periodNs SCHED_DEADLINE period, else 0
 */
public record SchedSettings(SchedPolicy policy, int priority, int nice, long flags, long runtimeNs, long deadlineNs,
        long periodNs) implements JsonWritable {

    public SchedSettings {
        if (policy.isRealtime() ? priority < 1 || priority > 99 : priority != 0) {
            throw new IllegalArgumentException("priority " + priority + " does not fit policy " + policy.label());
        }
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("nice " + nice + " is outside -20..19");
        }
    }

    /** SCHED_OTHER at nice 0: a thread nobody has tuned. */
    public static SchedSettings normal() {
        return new SchedSettings(SchedPolicy.OTHER, 0, 0, 0, 0, 0, 0);
    }

    /**
     * These settings with the policy and priority a plan asks for; nice and flags stay, since
     * the plan says nothing about them.
     */
    public SchedSettings with(SchedPolicy newPolicy, int newPriority) {
        return new SchedSettings(newPolicy, newPriority, nice, flags, 0, 0, 0);
    }

    /** Whether the policy and priority are those a plan asks for. */
    public boolean matches(SchedPolicy wantedPolicy, int wantedPriority) {
        return policy == wantedPolicy && priority == wantedPriority;
    }

    // Written out rather than generated, like ThreadState's: an apply compares every thread's
    // settings, and a record's generated equals is bootstrapped through invokedynamic on first
    // use, which the JDK's AOT cache cannot keep (~5 ms of a cold `kvmtune apply`).
    @Override
    public boolean equals(Object o) {
        return o instanceof SchedSettings s && policy == s.policy && priority == s.priority && nice == s.nice
                && flags == s.flags && runtimeNs == s.runtimeNs && deadlineNs == s.deadlineNs
                && periodNs == s.periodNs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, priority, nice, flags, runtimeNs, deadlineNs, periodNs);
    }

    /** chrt's way of writing it: {@code fifo:1}, {@code other}. */
    public String label() {
        return policy.isRealtime() ? policy.label() + ":" + priority : policy.label();
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", policy.label());
        m.put("priority", priority);
        m.put("nice", nice);
        m.put("flags", flags);
        m.put("runtime_ns", runtimeNs);
        m.put("deadline_ns", deadlineNs);
        m.put("period_ns", periodNs);
        return m;
    }

    public static SchedSettings fromJson(JsonObject o) {
        return new SchedSettings(SchedPolicy.ofLabel(o.string("policy")), o.intValue("priority"), o.intValue("nice"),
                o.integer("flags"), o.integer("runtime_ns"), o.integer("deadline_ns"), o.integer("period_ns"));
    }
}
