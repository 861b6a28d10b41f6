package io.kvmtune.core.apply;

import io.kvmtune.core.claims.Claim;
import io.kvmtune.core.claims.ClaimsLedger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cleans up what kvmtune left for QEMUs that have exited without their state being put back (a
 * guest killed while no hook ran, a host whose hook was not installed, {@code kvmtune apply} on a
 * QEMU that later quit): their apply records, with the realtime runtime and cpusets those records
 * say were given, and their claims on pCPUs.
 *
 * <p>Run by every kvmtune call that touches the claims ledger or realtime budgets, before it does,
 * and by {@code kvmtune restore --stale}; a service watching QEMUs exit calls {@link #cleanUp()}
 * too. Idempotent and safe to run concurrently with another cleanup: a record is restored from
 * the saved values only when its QEMU is gone, and restoring a value twice changes nothing.
 */
public final class StaleState {

    private final Applier applier;
    private final Optional<ClaimsLedger> ledger;

    /**
     * @param applier the applier whose records are looked at
     * @param ledger the claims ledger whose stale claims are dropped, if any
     */
    public StaleState(Applier applier, Optional<ClaimsLedger> ledger) {
        this.applier = applier;
        this.ledger = ledger;
    }

    /** The state in {@code stateDir} (apply records) and the ledger {@code claimsFile}, if any, on this host. */
    public static StaleState system(Path stateDir, Optional<Path> claimsFile) {
        return new StaleState(Applier.system(new RecordStore(stateDir)), claimsFile.map(ClaimsLedger::at));
    }

    /**
     * Restores and removes the apply records of exited QEMUs, then drops the claims of exited
     * guests and expired pending claims.
     *
     * @return one entry per cleanup, for the caller to log; empty when nothing was stale
     */
    public List<StaleCleanup> cleanUp() {
        List<StaleCleanup> done = new ArrayList<>(applier.restoreExited());
        ledger.ifPresent(l -> l.reclaimStale().forEach(c -> done.add(released(c))));
        return done;
    }

    private static StaleCleanup released(Claim c) {
        String why = c.process().map(p -> "its QEMU pid " + p.tid() + " has exited")
                .orElse("the start it was claimed for never finished");
        return new StaleCleanup("claim of domain " + c.domainName() + " on pCPUs " + c.pcpus().format(),
                "released: " + why, true);
    }
}
