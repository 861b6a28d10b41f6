package io.kvmtune.bench.apply;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.core.qemu.QemuDiscovery;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Prepares one apply comparison: {@code ComparisonSetup PID DIR} discovers the QEMU's vCPU threads
 * and writes, for each of {@link AlternatingPlans}, the plan kvmtune applies
 * ({@code DIR/plan-TAG.json}) and the same placement as the thread table the other methods apply
 * ({@code DIR/threads-TAG.tsv}: {@code TID CPULIST POLICY PRIORITY} per vCPU, the input of
 * {@code apply_table.c}, the shell hook and the tuna command line). Deriving both from one plan
 * is what makes the methods do the same work. It also writes the vCPU threads' identities as
 * discovered ({@code DIR/identities.tsv}: {@code TID START_TIME}), which the checked C loop
 * checks, as the in-process apply checks those of its discovery.
 */
public final class ComparisonSetup {

    private ComparisonSetup() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ComparisonSetup QEMU_PID OUT_DIR");
            System.exit(2);
        }
        QemuGuest guest = QemuDiscovery.system().discover(Integer.parseInt(args[0]), Optional.empty(), false).guest();
        CpuSet cpus = CpuSet.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")));
        Path dir = Files.createDirectories(Path.of(args[1]));
        List<QemuThread> vcpus = guest.vcpus();
        for (AlternatingPlans p : AlternatingPlans.values()) {
            TuningPlan plan = p.plan(vcpus.size(), cpus);
            Files.writeString(dir.resolve("plan-" + p.fileTag() + ".json"), Json.pretty(plan) + "\n");
            Files.writeString(dir.resolve("threads-" + p.fileTag() + ".tsv"), threadTable(plan, vcpus));
        }
        StringBuilder identities = new StringBuilder();
        vcpus.forEach(t -> identities.append(t.tid()).append(' ').append(t.identity().startTime()).append('\n'));
        Files.writeString(dir.resolve("identities.tsv"), identities);
        System.out.println(vcpus.size() + " vCPU threads of QEMU " + guest.pid() + " on CPUs " + cpus.format());
    }

    static String threadTable(TuningPlan plan, List<QemuThread> vcpus) {
        StringBuilder table = new StringBuilder();
        for (int v = 0; v < vcpus.size(); v++) {
            VcpuPlacement p = plan.vcpus().get(v);
            table.append(vcpus.get(v).tid()).append(' ').append(p.pcpus().format()).append(' ')
                    .append(p.policy().label()).append(' ').append(p.priority()).append('\n');
        }
        return table.toString();
    }
}
