package io.kvmtune.agent;

import io.kvmtune.core.apply.PreparedDomain;
import io.kvmtune.core.apply.PreparedDomains;
import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.QemuCommandLine;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.util.Optional;

/**
 * Finds the plan kept for a QEMU process: for a libvirt guest the plan its {@code prepare} hook
 * decided (by the {@code -uuid} on QEMU's command line, the domain's UUID), which exists before
 * QEMU does; otherwise the apply record of that very process ({@code kvmtune apply} of a QEMU
 * started by hand). A QEMU with neither is not the agent's to tune.
 */
final class KeptPlans {

    private final PreparedDomains prepared;
    private final RecordStore records;
    private final ProcFs proc;

    KeptPlans(PreparedDomains prepared, RecordStore records, ProcFs proc) {
        this.prepared = prepared;
        this.records = records;
        this.proc = proc;
    }

    Optional<KeptPlan> of(ThreadIdentity process) {
        Optional<QemuCommandLine> commandLine = proc.cmdline(process.tid()).map(QemuCommandLine::parse);
        Optional<PreparedDomain> decided = commandLine.flatMap(QemuCommandLine::uuid).flatMap(this::prepared);
        if (decided.isPresent()) {
            PreparedDomain d = decided.get();
            return Optional.of(new KeptPlan(d.plan(), d.name(), Optional.of(d.uuid()), "prepare"));
        }
        return records.load(process.tid()).filter(r -> r.process().equals(process))
                .map(r -> new KeptPlan(r.plan(), commandLine.flatMap(QemuCommandLine::name)
                        .orElse("pid " + process.tid()), commandLine.flatMap(QemuCommandLine::uuid), "record"));
    }

    private Optional<PreparedDomain> prepared(String uuid) {
        try {
            return prepared.load(uuid);
        } catch (RuntimeException e) {
            // a -uuid libvirt never wrote (not 8-4-4-4-12) names no kept plan
            return Optional.empty();
        }
    }
}
