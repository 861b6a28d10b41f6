package io.kvmtune.cli;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.claims.Claim;
import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.DiscoveredGuest;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.util.Optional;
import java.util.function.Function;

/**
 * The claim {@code kvmtune apply --domain/--pid} takes in the ledger for the pCPUs its plan pins,
 * as the {@code prepare} hook does for a libvirt start, so that the next plan does not hand them
 * to another guest. The claim is bound to the QEMU at once: it lives as long as that process.
 *
 * <p>A libvirt domain is keyed by its UUID (the hook's key, so a hook-tuned domain applied again
 * keeps one claim); a QEMU without {@code -uuid} by its pid and start time.
 */
final class ApplyClaim {

    private final ClaimsLedger ledger;
    private final String key;
    private final String name;
    private final ThreadIdentity qemu;
    private final Optional<Claim> previous;

    private ApplyClaim(ClaimsLedger ledger, DiscoveredGuest found) {
        this.ledger = ledger;
        this.qemu = found.guest().process();
        this.key = found.commandLine().uuid().orElse("qemu-" + qemu.tid() + "-" + qemu.startTime());
        this.name = found.commandLine().name().orElse("QEMU pid " + qemu.tid());
        this.previous = ledger.read().stream().filter(c -> c.domainUuid().equals(key)).findFirst();
    }

    /**
     * Plans (or checks a given plan) around the pCPUs other guests hold and claims the plan's
     * pCPUs for {@code found}, in one transaction of the ledger.
     *
     * @param planAround the plan for the pCPUs other guests hold
     * @throws DoesNotFitException (key {@code pcpus}) when the plan pins pCPUs another guest holds
     */
    static Claimed take(ClaimsLedger ledger, DiscoveredGuest found, Function<CpuSet, TuningPlan> planAround) {
        ApplyClaim claim = new ApplyClaim(ledger, found);
        TuningPlan[] plan = new TuningPlan[1];
        ledger.claim(claim.key, claim.name, taken -> {
            plan[0] = planAround.apply(taken);
            CpuSet wanted = plan[0].claimedPcpus();
            if (wanted.intersects(taken)) {
                throw new DoesNotFitException("pcpus", wanted.format(), "the plan pins pCPUs "
                        + wanted.intersect(taken).format() + ", which another guest holds in " + ledger.file());
            }
            return wanted;
        });
        ledger.bind(claim.key, claim.qemu);
        return new Claimed(claim, plan[0]);
    }

    /** A plan with its claim taken. */
    record Claimed(ApplyClaim claim, TuningPlan plan) {
    }

    /** Puts the ledger back as it was before {@link #take}: for an apply that failed and was rolled back. */
    void undo() {
        if (previous.isEmpty()) {
            ledger.release(key);
            return;
        }
        Claim before = previous.get();
        ledger.claim(key, before.domainName(), taken -> before.pcpus().minus(taken));
        before.process().ifPresent(p -> ledger.bind(key, p));
    }
}
