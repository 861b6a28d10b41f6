package io.kvmtune.cli.hook;

import io.kvmtune.core.apply.PreparedDomains;
import io.kvmtune.core.apply.PreparedDomain;
import io.kvmtune.cli.ExitStatus;
import io.kvmtune.cli.Failure;
import io.kvmtune.cli.HostInputs;
import io.kvmtune.core.cpumodel.KvmCpuidCache;
import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyFailedException;
import io.kvmtune.core.apply.ApplyOptions;
import io.kvmtune.core.apply.ApplyReport;
import io.kvmtune.core.apply.CommandLineCheck;
import io.kvmtune.core.apply.RestoreReport;
import io.kvmtune.core.apply.StaleState;
import io.kvmtune.core.claims.Claim;
import io.kvmtune.core.claims.ClaimResult;
import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.libvirt.DomainDescription;
import io.kvmtune.core.libvirt.StartSettings;
import io.kvmtune.core.libvirt.StartSettingsCheck;
import io.kvmtune.core.libvirt.TuningMetadata;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.DiscoveredGuest;
import io.kvmtune.core.qemu.DomainName;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.spec.TuningRequest;
import java.util.List;
import java.util.Optional;

/**
 * What each hook operation does for a domain that carries a kvmtune request.
 *
 * <ul>
 *   <li>{@code prepare}: validate the request, plan against the claims ledger, claim the pCPUs and
 *       keep the plan ({@link PreparedDomains}); failing here stops the start before QEMU exists.
 *   <li>{@code started}: find the QEMU's threads (libvirt's status file + /proc), bind the claim to
 *       the QEMU process, apply the prepared plan and read it back; on failure everything is rolled
 *       back and the hook fails, so libvirt kills the guest.
 *   <li>{@code stopped}, {@code release}: put back what the apply record says (realtime runtime
 *       given to libvirt's cgroups, cpusets), give back the claim, forget the plan. Idempotent:
 *       libvirt calls both, and the second finds nothing left to do.
 *   <li>{@code prepare} and {@code started} (first) and {@code release} (last) clean up what QEMUs
 *       that exited without a hook left behind ({@link StaleState}), and log each cleanup.
 *   <li>{@code reconnect}: verify and re-apply when something drifted. A failure is logged but does
 *       not fail the hook: libvirt would kill a guest that has been running all along.
 * </ul>
 */
final class HookRunner {

    private final HookSettings settings;
    private final HookLog log;

    HookRunner(HookSettings settings, HookLog log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * @param xml the domain XML on stdin, which {@code prepare} compares with the plan
     */
    void run(HookOperation op, DomainDescription domain, byte[] xml) {
        switch (op) {
            case PREPARE -> prepare(domain, Optional.of(xml));
            case STARTED -> started(domain);
            case STOPPED, RELEASE -> release(domain);
            case RECONNECT -> reconnect(domain);
            default -> throw new IllegalArgumentException("no action for " + op);
        }
    }

    /**
     * Plans under the ledger's lock, so that concurrent starts never get the same pCPU, and keeps
     * the plan. With the domain XML, first compares its start-time settings with the plan
     * ({@link StartSettingsPolicy}): a refused start claims nothing.
     */
    private PreparedDomain prepare(DomainDescription domain, Optional<byte[]> xml) {
        cleanUpStale();
        TuningMetadata tuning = domain.tuning().orElseThrow();
        String uuid = domain.uuid().orElseThrow();
        PreparedDomains prepared = settings.prepared();
        prepared.file(uuid); // refuses a UUID unfit for a file name before anything is claimed
        HostInputs host = HostInputs.read(settings.configFile(), Optional.empty(), settings.fsRoot(),
                Optional.of(settings.stateDir().resolve(KvmCpuidCache.FILE_NAME)));
        TuningRequest request = host.request(tuning.flavorSpecs(), tuning.imageProps(), domain.vcpus(), domain.memoryMb());
        TuningPlan[] plan = new TuningPlan[1];
        StartSettingsPolicy policy = xml.isPresent() ? StartSettingsPolicy.read(settings.configFile()) : null;
        ClaimResult result = settings.ledger().claim(uuid, domain.name(), taken -> {
            plan[0] = host.plan(request, taken);
            if (policy != null) {
                policy.check(StartSettingsCheck.differences(plan[0], StartSettings.read(xml.get())), log);
            }
            return plan[0].claimedPcpus();
        });
        result.reclaimed().forEach(c -> log.action("reclaimed pCPUs " + c.pcpus() + " of vanished guest " + c.domainName()));
        PreparedDomain decided = new PreparedDomain(uuid, domain.name(), plan[0], Optional.empty());
        prepared.save(decided);
        log.action(result.claim().map(c -> "claimed pCPUs " + c.pcpus()).orElse("planned; nothing to claim (no pinned vCPU)"));
        return decided;
    }

    private void started(DomainDescription domain) {
        cleanUpStale();
        PreparedDomain prepared = preparedPlan(domain);
        DiscoveredGuest found = discover(domain);
        ThreadIdentity qemu = found.guest().process();
        holdClaim(prepared, qemu);
        // Saved before applying, so that stopped finds the apply record even if this hook is killed mid-apply.
        settings.prepared().save(prepared.appliedTo(qemu));
        ApplyReport report;
        try {
            report = applier().apply(prepared.plan(), found.guest(), ApplyOptions.defaults());
        } catch (ApplyFailedException e) {
            if (!e.guestBusy()) {
                throw e;
            }
            // The agent tunes the guest's threads as they are born and holds the guest while it does.
            log.action("another kvmtune (the agent) is applying the plan to QEMU pid " + qemu.tid()
                    + " right now; the hook changed nothing");
            return;
        }
        report.warnings().forEach(w -> log.action("warning: " + w));
        warnAboutStartOptions(prepared.plan(), found);
        log.action("applied the plan to QEMU pid " + qemu.tid() + " and read it back as planned ("
                + changedThreads(report) + " of " + report.threads().size() + " threads changed)");
    }

    private void reconnect(DomainDescription domain) {
        try {
            PreparedDomain prepared = preparedPlan(domain);
            DiscoveredGuest found = discover(domain);
            ThreadIdentity qemu = found.guest().process();
            holdClaim(prepared, qemu);
            settings.prepared().save(prepared.appliedTo(qemu));
            warnAboutStartOptions(prepared.plan(), found);
            List<String> drift = applier().verify(prepared.plan(), found.guest());
            if (drift.isEmpty()) {
                log.action("QEMU pid " + qemu.tid() + " is as planned");
                return;
            }
            log.action(drift.size() + " differences from the plan (first: " + drift.getFirst() + "); re-applying");
            ApplyReport report = applier().apply(prepared.plan(), found.guest(), ApplyOptions.defaults());
            log.action("re-applied the plan to QEMU pid " + qemu.tid() + " (" + changedThreads(report) + " threads changed)");
        } catch (RuntimeException e) {
            Failure f = Failure.of(e);
            log.failure(new Failure(f.status(), f.code(), f.key(), f.value(),
                    f.message() + " (the guest keeps running untuned: libvirt would kill it on a failed reconnect hook)"));
        }
    }

    /**
     * Logs where the QEMU's HPET or CPU differs from the plan. Only the domain XML decides them,
     * when QEMU starts, so the hook warns and never fails or re-applies over them.
     */
    private void warnAboutStartOptions(TuningPlan plan, DiscoveredGuest found) {
        CommandLineCheck.of(plan, found.commandLine()).differences().forEach(d -> log.action(
                "warning: " + d + " (set by the domain XML when QEMU starts; applying cannot change it)"));
    }

    private void release(DomainDescription domain) {
        String uuid = domain.uuid().orElseThrow();
        PreparedDomains prepared = settings.prepared();
        Optional<PreparedDomain> decided = prepared.load(uuid);
        decided.flatMap(PreparedDomain::qemu).ifPresent(this::restore);
        Optional<Claim> released = settings.ledger().release(uuid);
        released.ifPresent(c -> log.action("released pCPUs " + c.pcpus()));
        if (decided.isPresent()) {
            prepared.delete(uuid);
        }
        cleanUpStale();
    }

    /** The state of QEMUs that exited while no hook put it back (see {@link StaleState}), logged. */
    private void cleanUpStale() {
        new StaleState(applier(), Optional.of(settings.ledger())).cleanUp().forEach(c -> log.action("cleaned up " + c));
    }

    /** Puts back what the apply record of {@code qemu} says; the process is normally gone by now. */
    private void restore(ThreadIdentity qemu) {
        Applier applier = applier();
        if (applier.record(qemu.tid()).filter(r -> r.process().equals(qemu)).isEmpty()) {
            return;
        }
        RestoreReport report = applier.restore(qemu.tid());
        if (report.complete()) {
            log.action("restored what was applied to QEMU pid " + qemu.tid() + " (" + report.items().size() + " saved values)");
        } else {
            log.failure(new Failure(ExitStatus.ROLLED_BACK, "RestoreIncomplete", null, null,
                    "could not put back " + report.failures() + "; the record stays in " + settings.stateDir()
                            + " for kvmtune restore --pid " + qemu.tid()));
        }
    }

    /** The plan prepare decided; planned and claimed now if prepare did not run or was killed before saving it. */
    private PreparedDomain preparedPlan(DomainDescription domain) {
        Optional<PreparedDomain> prepared = settings.prepared().load(domain.uuid().orElseThrow());
        if (prepared.isPresent()) {
            return prepared.get();
        }
        log.action("no plan kept from the prepare hook; planning now");
        return prepare(domain, Optional.empty());
    }

    /** The running QEMU of {@code domain}, checked to be the one the XML on stdin describes. */
    private DiscoveredGuest discover(DomainDescription domain) {
        DiscoveredGuest found = settings.discovery().discoverDomain(new DomainName(domain.name()), Optional.empty(), false);
        String uuid = domain.uuid().orElseThrow();
        if (!found.commandLine().uuid().map(uuid::equalsIgnoreCase).orElse(false)) {
            throw new InvalidInputException("InvalidDomainXml", "uuid", uuid, "the QEMU of domain " + domain.name()
                    + " runs with -uuid " + found.commandLine().uuid().orElse("(none)") + ", not the XML's " + uuid);
        }
        return found;
    }

    /**
     * Binds the domain's claim to its QEMU, so that it lives exactly as long as the process. A
     * claim that expired before the guest started is taken again, unless another guest holds
     * its pCPUs by now.
     */
    private void holdClaim(PreparedDomain prepared, ThreadIdentity qemu) {
        CpuSet wanted = prepared.plan().claimedPcpus();
        if (wanted.isEmpty()) {
            return;
        }
        ClaimsLedger ledger = settings.ledger();
        Optional<Claim> bound = ledger.bind(prepared.uuid(), qemu);
        if (bound.isPresent() && bound.get().pcpus().equals(wanted)) {
            return;
        }
        ledger.claim(prepared.uuid(), prepared.name(), taken -> {
            if (wanted.intersects(taken)) {
                throw new DoesNotFitException("pcpus", wanted.format(), "pCPUs " + wanted.intersect(taken).format()
                        + " planned for " + prepared.name() + " are claimed by another guest by now");
            }
            return wanted;
        });
        ledger.bind(prepared.uuid(), qemu);
        log.action("claimed pCPUs " + wanted + " again (the claim from prepare had expired)");
    }

    private Applier applier() {
        return Applier.system(settings.records());
    }

    private static long changedThreads(ApplyReport report) {
        return report.threads().stream().filter(t -> t.changed()).count();
    }
}
