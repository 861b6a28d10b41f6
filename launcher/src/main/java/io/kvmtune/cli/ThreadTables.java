package io.kvmtune.cli;

import io.kvmtune.core.apply.ApplyReport;
import io.kvmtune.core.apply.FileChange;
import io.kvmtune.core.apply.RestoreReport;
import io.kvmtune.core.apply.ThreadChange;
import io.kvmtune.core.apply.RtGrant;
import io.kvmtune.core.apply.ThreadRow;
import io.kvmtune.core.apply.ThreadState;
import io.kvmtune.core.text.TextTable;
import java.util.List;
import java.util.Optional;

/** The table forms of show, apply and restore results. */
final class ThreadTables {

    private ThreadTables() {
    }

    /** One row per thread, like tuna's {@code show_threads}: tid, comm, role, policy, priority, affinity, cgroup. */
    static String show(List<ThreadRow> rows) {
        TextTable table = new TextTable("TID", "COMM", "ROLE", "POLICY", "PRIO", "AFFINITY", "CGROUP", "RT RUNTIME");
        for (ThreadRow r : rows) {
            Optional<ThreadState> s = r.state();
            table.row(r.thread().tid(), r.thread().comm(), r.thread().role().label(),
                    s.map(x -> x.sched().policy().label()).orElse("(gone)"), s.map(x -> x.sched().priority()).orElse(null),
                    s.map(x -> x.affinity().format()).orElse(null), r.cpusetGroup().orElse(null),
                    r.realtime().map(g -> g.runtimeUs() + "/" + g.periodUs()).orElse(null));
        }
        String note = rows.stream().flatMap(r -> r.realtime().stream()).anyMatch(g -> g.runtimeUs() > 0 && !g.fullCpu())
                ? "note: " + RtGrant.LESS_THAN_A_CPU_NOTE + "\n" : "";
        return table.render() + note;
    }

    /** Per thread before and after, then the cgroup files, the memory report and the warnings. */
    static String apply(ApplyReport report) {
        TextTable threads = new TextTable("TID", "COMM", "ROLE", "BEFORE", "AFTER", "CHANGED");
        for (ThreadChange t : report.threads()) {
            threads.row(t.identity().tid(), t.comm(), t.role().label(), t.before().map(ThreadTables::state).orElse("(gone)"),
                    t.after().map(ThreadTables::state).orElse("(gone)"), t.gone() ? "gone" : t.changed() ? "yes" : "no");
        }
        StringBuilder out = new StringBuilder(threads.render());
        if (!report.cgroupFiles().isEmpty()) {
            TextTable files = new TextTable("CGROUP FILE", "BEFORE", "AFTER");
            for (FileChange f : report.cgroupFiles()) {
                files.row(f.file(), f.before(), f.after());
            }
            out.append('\n').append(files.render());
        }
        report.memory().ifPresent(m -> out.append("\nguest memory: ").append(m.locked() ? "locked (" + m.lockedBytes()
                + " bytes)" : "not locked").append(m.limitAfter().map(l -> ", RLIMIT_MEMLOCK " + l).orElse("")).append('\n'));
        report.realtime().forEach(g -> out.append("realtime runtime: ").append(g.vcpu()).append(" gets ")
                .append(g.runtimeUs()).append(" of every ").append(g.periodUs()).append(" us (").append(g.group())
                .append(", shared equally with every realtime vCPU group on this host)\n"));
        report.realtimeNote().ifPresent(n -> out.append("note: ").append(n).append('\n'));
        report.warnings().forEach(w -> out.append("warning: ").append(w).append('\n'));
        out.append('\n').append(report.dryRun() ? "dry run: nothing was changed"
                : report.changed() ? "applied and read back as planned" : "already as planned: nothing changed");
        report.record().ifPresent(r -> out.append("; record for verify and restore: ").append(r));
        return out.append('\n').toString();
    }

    /** One line per saved value put back, found unchanged, gone, or failed. */
    static String restore(RestoreReport report) {
        StringBuilder out = new StringBuilder();
        report.items().forEach(i -> out.append(i).append('\n'));
        out.append(report.complete() ? "restored: everything that still exists is as it was before apply"
                : "restore incomplete: " + report.failures().size() + " values could not be put back");
        return out.append('\n').toString();
    }

    private static String state(ThreadState s) {
        return s.sched().label() + " on " + s.affinity().format();
    }
}
