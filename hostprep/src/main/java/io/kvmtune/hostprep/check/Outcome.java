package io.kvmtune.hostprep.check;

import io.kvmtune.hostprep.sys.Fact;
import java.util.ArrayList;
import java.util.List;

/**
 * What one check concluded: status, a one-line finding, the evidence and the exact setting that
 * fixes it ({@code null} when nothing needs fixing).
 */
public record Outcome(CheckStatus status, String finding, List<Evidence> evidence, String remedy) {

    public Outcome {
        evidence = List.copyOf(evidence);
    }

    public static Outcome pass(String finding, Evidence... evidence) {
        return new Outcome(CheckStatus.PASS, finding, List.of(evidence), null);
    }

    public static Outcome warn(String finding, String remedy, Evidence... evidence) {
        return new Outcome(CheckStatus.WARN, finding, List.of(evidence), remedy);
    }

    public static Outcome fail(String finding, String remedy, Evidence... evidence) {
        return new Outcome(CheckStatus.FAIL, finding, List.of(evidence), remedy);
    }

    public static Outcome unsupported(String reason, String remedy, Evidence... evidence) {
        return new Outcome(CheckStatus.UNSUPPORTED, reason, List.of(evidence), remedy);
    }

    /** The fact could not be read: unsupported, saying whether the file is absent or unreadable. */
    public static Outcome unreadable(Fact<?> fact) {
        String why = fact instanceof Fact.Unknown<?> u && u.absent()
                ? fact.path() + " is absent" + (u.reason().equals("absent") ? "" : ": " + u.reason())
                : "cannot read " + fact.path() + ": " + fact.describe();
        return unsupported(why, null, Evidence.of(fact));
    }

    /** The same outcome with more evidence appended. */
    public Outcome with(Evidence... more) {
        List<Evidence> all = new ArrayList<>(evidence);
        all.addAll(List.of(more));
        return new Outcome(status, finding, all, remedy);
    }
}
