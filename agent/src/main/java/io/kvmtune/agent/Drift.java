package io.kvmtune.agent;

import io.kvmtune.core.apply.ThreadState;
import io.kvmtune.core.apply.ThreadTarget;
import io.kvmtune.core.json.JsonWritable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tuned thread found other than planned: which thread, what changed, and what it is now.
 *
 * @param guest the guest's name
 * @param target the thread and its planned settings
 * @param now what the kernel reports
 * @param kinds {@code affinity}, {@code policy}, {@code priority}: one per attribute that differs
 * @param atEpochMillis when it was found
 */
record Drift(String guest, ThreadTarget target, ThreadState now, List<String> kinds, long atEpochMillis)
        implements JsonWritable {

    /** The drift of {@code now} from {@code target}; empty kinds when there is none. */
    static Drift of(String guest, ThreadTarget target, ThreadState now, long atEpochMillis) {
        List<String> kinds = new ArrayList<>(3);
        if (!now.affinity().equals(target.cpus())) {
            kinds.add("affinity");
        }
        if (now.sched().policy() != target.policy()) {
            kinds.add("policy");
        } else if (now.sched().priority() != target.priority()) {
            kinds.add("priority");
        }
        return new Drift(guest, target, now, List.copyOf(kinds), atEpochMillis);
    }

    /** Whether {@code other} is the same thread found in the same state: the same drift seen again. */
    boolean sameAs(Drift other) {
        return other != null && target.thread().identity().equals(other.target.thread().identity())
                && now.equals(other.now);
    }

    /** {@code guest web1 vcpu2 tid 4242: affinity 0-7 (planned 4), policy other (planned fifo:1)}. */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (String kind : kinds) {
            parts.add(switch (kind) {
                case "affinity" -> "affinity " + now.affinity().format() + " (planned " + target.cpus().format() + ")";
                default -> kind + " " + now.sched().label() + " (planned " + planned() + ")";
            });
        }
        return "guest " + guest + " " + target.thread().role().label() + " tid " + target.thread().tid() + ": "
                + String.join(", ", parts);
    }

    private String planned() {
        return target.policy().isRealtime() ? target.policy().label() + ":" + target.priority() : target.policy().label();
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("guest", guest);
        m.put("role", target.thread().role().label());
        m.put("tid", target.thread().tid());
        m.put("kinds", kinds);
        m.put("affinity", now.affinity().format());
        m.put("planned_affinity", target.cpus().format());
        m.put("policy", now.sched().label());
        m.put("planned_policy", planned());
        m.put("at_epoch_ms", atEpochMillis);
        return m;
    }
}
