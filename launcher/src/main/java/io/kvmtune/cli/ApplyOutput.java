package io.kvmtune.cli;

import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyFailedException;
import io.kvmtune.core.apply.ApplyOptions;
import io.kvmtune.core.apply.ApplyReport;
import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.DiscoveredGuest;
import io.kvmtune.core.qemu.QemuGuest;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code kvmtune apply} prints: the apply report, or after a failed apply CLI.md's error line
 * and the rollback report. Shared by {@link ApplyCommand} and {@link LeanApply}, so that both ways
 * into the command print and exit alike.
 */
final class ApplyOutput {

    private ApplyOutput() {
    }

    /** Applies {@code plan} to {@code guest} and prints the report, or the rollback. */
    static ExitStatus applyAndReport(Applier applier, TuningPlan plan, QemuGuest guest, ApplyOptions options,
            OutputFormat format, PrintWriter out, PrintWriter err) {
        ApplyReport report;
        try {
            report = applier.apply(plan, guest, options);
        } catch (ApplyFailedException e) {
            return rolledBack(e, format, out, err);
        }
        out.print(format == OutputFormat.JSON ? Json.pretty(report) + "\n" : ThreadTables.apply(report));
        return ExitStatus.OK;
    }

    /**
     * Claims the pCPUs of the plan {@code planAround} gives for {@code found} (see
     * {@link ApplyClaim}), applies it and prints the report; a rolled-back apply gives the claim
     * back.
     */
    static ExitStatus applyClaimedAndReport(Applier applier, ClaimsLedger ledger, DiscoveredGuest found,
            Function<CpuSet, TuningPlan> planAround, ApplyOptions options, OutputFormat format, PrintWriter out,
            PrintWriter err) {
        ApplyClaim.Claimed claimed = ApplyClaim.take(ledger, found, planAround);
        ExitStatus status;
        try {
            status = applyAndReport(applier, claimed.plan(), found.guest(), options, format, out, err);
        } catch (RuntimeException e) {
            claimed.claim().undo();
            throw e;
        }
        if (status != ExitStatus.OK) {
            claimed.claim().undo();
        }
        return status;
    }

    /**
     * Reports an apply that failed and was rolled back: the error line on stderr, and the rollback
     * report on stdout (in JSON beside the error object).
     */
    static ExitStatus rolledBack(ApplyFailedException e, OutputFormat format, PrintWriter out, PrintWriter err) {
        Failure failure = Failure.of(e);
        err.println(failure.line());
        err.flush();
        out.print(format == OutputFormat.JSON ? failure.json(Map.of("rollback", e.rollback())) + "\n"
                : "rolled back:\n" + ThreadTables.restore(e.rollback()));
        return failure.status();
    }
}
