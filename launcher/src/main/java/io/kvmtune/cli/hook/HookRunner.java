package io.kvmtune.cli.hook;

import io.kvmtune.cli.HostInputs;
import io.kvmtune.cli.NotAvailable;
import io.kvmtune.core.claims.Claim;
import io.kvmtune.core.claims.ClaimResult;
import io.kvmtune.core.libvirt.DomainDescription;
import io.kvmtune.core.libvirt.TuningMetadata;
import io.kvmtune.core.spec.TuningRequest;
import java.util.Optional;

/**
 * What each hook operation does for a domain that carries a kvmtune request.
 *
 * <ul>
 *   <li>{@code prepare}: validate the request, plan against the claims ledger and claim the pCPUs;
 *       failing here stops the start before QEMU exists.
 *   <li>{@code started}: find the QEMU's threads (status XML + /proc), apply, verify; on failure roll
 *       back and fail, and libvirt kills the guest.
 *   <li>{@code stopped}, {@code release}: give back RT budgets and the claim (idempotent: libvirt
 *       calls both).
 *   <li>{@code reconnect}: verify and re-apply. A failure is logged but does not fail the hook:
 *       libvirt would kill a guest that has been running all along.
 * </ul>
 */
final class HookRunner {

    private final HookSettings settings;
    private final HookLog log;

    HookRunner(HookSettings settings, HookLog log) {
        this.settings = settings;
        this.log = log;
    }

    void run(HookOperation op, DomainDescription domain) {
        switch (op) {
            case PREPARE -> prepare(domain);
            case STARTED -> throw NotAvailable.yet("tuning in the started hook: thread discovery and apply (issue 4)");
            case STOPPED, RELEASE -> release(domain);
            case RECONNECT -> log.action("not re-applied: verify and re-apply are not available yet (issue 4)");
            default -> throw new IllegalArgumentException("no action for " + op);
        }
    }

    /** Plans under the ledger's lock, so that concurrent starts never get the same pCPU. */
    private void prepare(DomainDescription domain) {
        TuningMetadata tuning = domain.tuning().orElseThrow();
        HostInputs host = HostInputs.read(settings.configFile(), Optional.empty(), settings.fsRoot());
        TuningRequest request = host.request(tuning.flavorSpecs(), tuning.imageProps(), domain.vcpus());
        ClaimResult result = settings.ledger().claim(domain.uuid().orElseThrow(), domain.name(),
                taken -> host.plan(request, taken).claimedPcpus());
        result.reclaimed().forEach(c -> log.action("reclaimed pCPUs " + c.pcpus() + " of vanished guest " + c.domainName()));
        log.action(result.claim().map(c -> "claimed pCPUs " + c.pcpus()).orElse("planned; nothing to claim (no pinned vCPU)"));
    }

    private void release(DomainDescription domain) {
        String uuid = domain.uuid().orElseThrow();
        Optional<Claim> released = settings.ledger().release(uuid);
        released.ifPresent(c -> log.action("released pCPUs " + c.pcpus()));
    }
}
