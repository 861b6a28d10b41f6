package io.kvmtune.agent;

import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyFailedException;
import io.kvmtune.core.apply.PreparedDomain;
import io.kvmtune.core.apply.PreparedDomains;
import io.kvmtune.core.apply.RestoreReport;
import io.kvmtune.core.claims.Claim;
import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives back what a QEMU that has exited still holds, as libvirt's {@code release} hook would
 * have: what its apply record says was changed (realtime runtime of its vCPU groups above all),
 * its claim on pCPUs, the plan kept for it, and its apply lock. For when that hook never ran
 * (libvirtd killed, a QEMU killed outside libvirt).
 */
final class ExitedGuestCleanup {

    private final Applier applier;
    private final ClaimsLedger ledger;
    private final PreparedDomains prepared;

    ExitedGuestCleanup(Applier applier, ClaimsLedger ledger, PreparedDomains prepared) {
        this.applier = applier;
        this.ledger = ledger;
        this.prepared = prepared;
    }

    /** One line per thing given back or left; {@code uuid} is the domain's, for a libvirt guest. */
    List<String> clean(ThreadIdentity qemu, Optional<String> uuid) {
        List<String> done = new ArrayList<>();
        if (applier.record(qemu.tid()).filter(r -> r.process().equals(qemu)).isPresent()) {
            try {
                RestoreReport report = applier.restore(qemu.tid());
                done.add(report.complete() ? "put back " + report.items().size() + " saved values of QEMU pid "
                        + qemu.tid() + " and removed its apply record"
                        : "could not put back " + report.failures() + "; the record stays for kvmtune restore --pid "
                                + qemu.tid());
            } catch (ApplyFailedException e) {
                if (!e.guestBusy()) {
                    throw e;
                }
                // libvirt's release hook is restoring it at this very moment
                done.add("the release hook is putting back QEMU pid " + qemu.tid() + " itself");
                return done;
            }
        }
        if (uuid.isPresent()) {
            Optional<PreparedDomain> kept = prepared.load(uuid.get());
            // A kept plan without a QEMU may already be the next start's: only this QEMU's goes.
            if (kept.flatMap(PreparedDomain::qemu).filter(qemu::equals).isPresent()) {
                Optional<Claim> released = ledger.release(uuid.get());
                released.ifPresent(c -> done.add("released pCPUs " + c.pcpus() + " of " + c.domainName()));
                prepared.delete(uuid.get());
                done.add("forgot the plan kept for domain " + uuid.get());
            }
        }
        applier.forgetExited(qemu.tid());
        return done;
    }
}
