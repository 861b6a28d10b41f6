package io.kvmtune.cli;

import static io.kvmtune.cli.CommandRun.kvmtune;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.cli.hook.TaskState;
import io.kvmtune.core.apply.LibvirtTestDomain;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A libvirt domain that allows vCPU hotplug ({@code <vcpu current='1'>2</vcpu>}) on the real
 * libvirtd (issue 13, items 1 and 2), vCPU 1 dedicated (not realtime: this host cannot lock
 * guest memory, which verify would report): planned for 2 vCPUs, applied to the one that runs; the
 * planned vCPU not plugged in is absent, not drift; once {@code virsh setvcpus 2 --live} plugs it
 * in, verify names it as drift until apply is run again, which tunes it; restore puts back all.
 */
class LibvirtHotplugIT {

    @TempDir
    Path dir;

    private OperatorHost host;
    private Path config;
    private int shared;
    private int dedicated;

    @BeforeEach
    void openHost() {
        host = OperatorHost.open(dir);
        CpuSet online = OperatorHost.online();
        assumeTrue(online.size() >= 2, "needs 2 CPUs: one shared, one dedicated");
        shared = online.first();
        dedicated = online.last();
        // the CPU libvirt gives a domain without <cpu> (qemu64; svm off, which this host lacks), so that
        // verify, which compares the model the domain asks for, finds only the thread state to differ
        config = host.config("[compute]\ncpu_shared_set = " + shared + "\ncpu_dedicated_set = " + dedicated
                + "\n[libvirt]\ncpu_mode = custom\ncpu_models = qemu64\ncpu_model_extra_flags = -svm\n");
    }

    @AfterEach
    void closeHost() {
        if (host != null) {
            host.close();
        }
    }

    private CommandRun apply(String domain) {
        return kvmtune("apply", "--domain", domain, "--config", config.toString(),
                "--flavor-spec", "hw:cpu_policy=mixed", "--flavor-spec", "hw:cpu_dedicated_mask=^0");
    }

    private static Map<String, TaskState> vcpuThreads(int pid) throws Exception {
        return TaskState.all(pid).stream().filter(t -> t.comm().matches("CPU \\d+/KVM"))
                .collect(Collectors.toMap(TaskState::comm, t -> t));
    }

    @Test
    void aHotplugGuestIsPlannedForItsMaximumAndAPluggedInVcpuIsDriftUntilAppliedAgain() throws Exception {
        LibvirtTestDomain d = host.start("hot", "<vcpu placement='static' current='1'>2</vcpu>"
                + "<cpu mode='custom' match='exact'><model>qemu64</model><feature policy='disable' name='svm'/></cpu>"
                + "<clock offset='utc'><timer name='hpet' present='no'/></clock>");
        int pid = d.pid();
        List<TaskState> before = TaskState.all(pid);

        CommandRun applied = apply(d.name());
        assertThat(applied.status()).as(applied.out() + applied.err()).isZero();
        assertThat(vcpuThreads(pid).get("CPU 0/KVM").cpusAllowed()).isEqualTo(CpuSet.of(shared));

        CommandRun absent = kvmtune("verify", "--domain", d.name(), "--format", "json");
        assertThat(absent.status()).as(absent.out() + absent.err()).isZero();
        JsonObject report = Json.parseObject(absent.out());
        assertThat(report.array("absent_vcpus")).containsExactly(1L);
        assertThat(report.array("differences")).isEmpty();

        LibvirtTestDomain.Result plugged = LibvirtTestDomain.virsh("setvcpus", d.name(), "2", "--live");
        assertThat(plugged.exitCode()).as(plugged.output()).isZero();
        TaskState added = vcpuThreads(pid).get("CPU 1/KVM");
        assertThat(added).as("QEMU made the vCPU 1 thread").isNotNull();
        assertThat(added.policy()).isEqualTo(TaskState.SCHED_OTHER);

        CommandRun drift = kvmtune("verify", "--domain", d.name());
        assertThat(drift.status()).as(drift.out() + drift.err()).isEqualTo(1);
        assertThat(drift.out()).contains("vcpu1 tid " + added.tid() + " (CPU 1/KVM): affinity is ")
                .contains("plan says " + dedicated);

        CommandRun again = apply(d.name());
        assertThat(again.status()).as(again.out() + again.err()).isZero();
        TaskState tuned = vcpuThreads(pid).get("CPU 1/KVM");
        assertThat(tuned.cpusAllowed()).isEqualTo(CpuSet.of(dedicated));
        CommandRun clean = kvmtune("verify", "--domain", d.name(), "--format", "json");
        assertThat(clean.status()).as(clean.out() + clean.err()).isZero();
        assertThat(Json.parseObject(clean.out()).array("absent_vcpus")).isEmpty();

        CommandRun restored = kvmtune("restore", "--domain", d.name());
        assertThat(restored.status()).as(restored.out() + restored.err()).isZero();
        Map<Integer, TaskState> now = TaskState.all(pid).stream().collect(Collectors.toMap(TaskState::tid, t -> t));
        for (TaskState t : before) {
            assertThat(now.get(t.tid())).as(t.comm()).isEqualTo(t);
        }
        assertThat(now.get(added.tid())).as("the plugged-in vCPU is back as QEMU made it").isEqualTo(added);
    }
}
