package io.kvmtune.cli;

import static io.kvmtune.cli.CommandRun.kvmtune;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.cli.hook.TaskState;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.qemu.ThrowawayGuest;
import io.kvmtune.linux.Affinity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * apply, show, verify, restore and demo on a real paused QEMU with 4 vCPUs, in-process; every
 * thread's state is read back from /proc without kvmtune's parsers.
 */
class CommandsQemuIT {

    @TempDir
    Path dir;

    ThrowawayGuest guest;
    Path config;
    List<TaskState> original;
    int first;
    int last;

    @BeforeEach
    void startGuest() throws Exception {
        assumeTrue(ThrowawayGuest.binary().isPresent(), "qemu-system-x86_64 is not installed");
        assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0")), "needs root for SCHED_FIFO");
        CpuSet online = CpuSet.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip());
        assumeTrue(online.size() >= 2, "needs 2 online CPUs");
        first = online.first();
        last = online.last();
        config = Files.writeString(dir.resolve("kvmtune.conf"),
                "[compute]\ncpu_shared_set = " + first + "\ncpu_dedicated_set = " + last + "\n");
        // As libvirt starts the default x86 plan (hpet present=no, cpu host-model): verify compares these too.
        guest = ThrowawayGuest.start(ThrowawayGuest.Options.defaults().withVcpus(4)
                .withArguments("-overcommit", "mem-lock=on", "-no-hpet", "-cpu", "qemu64"));
        original = TaskState.all(guest.pid());
    }

    @AfterEach
    void stopGuest() {
        if (guest != null) {
            kvmtune("restore", "--pid", Integer.toString(guest.pid()));
            guest.close();
        }
    }

    private String pid() {
        return Integer.toString(guest.pid());
    }

    private CommandRun applyRealtime(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("apply", "--pid", pid(), "--config", config.toString(),
                "--claims", "none", "--flavor-spec", "hw:cpu_policy=mixed", "--flavor-spec", "hw:cpu_realtime=yes",
                "--flavor-spec", "hw:cpu_realtime_mask=^0-2"));
        args.addAll(List.of(more));
        return kvmtune(args.toArray(String[]::new));
    }

    @Test
    void applyVerifyDriftAndRestoreWorkFromTheRecord() throws Exception {
        CommandRun apply = applyRealtime("--format", "json");
        assertThat(apply.status()).as(apply.err()).isZero();
        assertThat(Json.parseObject(apply.out()).bool("changed")).isTrue();
        for (TaskState t : TaskState.all(guest.pid())) {
            boolean realtime = t.comm().startsWith("CPU 3/");
            assertThat(t.cpusAllowed()).as(t.toString()).isEqualTo(CpuSet.of(realtime ? last : first));
            assertThat(t.policy()).as(t.toString()).isEqualTo(realtime ? TaskState.SCHED_FIFO : TaskState.SCHED_OTHER);
        }
        assertThat(applyRealtime().out()).contains("already as planned: nothing changed");

        CommandRun verify = kvmtune("verify", "--pid", pid());
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("is as planned");

        int vcpu3 = TaskState.all(guest.pid()).stream().filter(t -> t.comm().startsWith("CPU 3/")).findFirst().orElseThrow().tid();
        Affinity.set(vcpu3, CpuSet.of(first, last).toBitSet());
        CommandRun drift = kvmtune("verify", "--pid", pid());
        assertThat(drift.status()).isEqualTo(1);
        assertThat(drift.out().lines()).singleElement().asString()
                .contains("vcpu3 tid " + vcpu3).contains("affinity is " + CpuSet.of(first, last).format());

        CommandRun show = kvmtune("show", "--pid", pid(), "--format", "json");
        assertThat(show.status()).isZero();
        assertThat(Json.parse(show.out()).toString()).contains("vcpu3").contains("emulator");

        CommandRun restore = kvmtune("restore", "--pid", pid());
        assertThat(restore.status()).as(restore.out()).isZero();
        assertThat(TaskState.all(guest.pid())).isEqualTo(original);
        assertThat(kvmtune("verify", "--pid", pid()).status()).isEqualTo(2); // no record left
    }

    private String realtimePlanJson() {
        return kvmtune("plan", "--vcpus", "4", "--config", config.toString(), "--claims", "none",
                "--flavor-spec", "hw:cpu_policy=mixed", "--flavor-spec", "hw:cpu_realtime=yes",
                "--flavor-spec", "hw:cpu_realtime_mask=^0-2", "--format", "json").out();
    }

    @Test
    void thePicocliFreeApplyPrintsAndExitsAsThePicocliCommandDoes() throws Exception {
        String plan = realtimePlanJson();
        Path good = Files.writeString(dir.resolve("plan.json"), plan);
        Path missingCpu = Files.writeString(dir.resolve("missing-cpu.json"),
                plan.replace("\"pcpus\": [" + last + "]", "\"pcpus\": [4000]"));
        for (Path file : List.of(good, missingCpu)) {
            for (String format : List.of("json", "table")) {
                String[] args = {"apply", "--plan", file.toString(), "--format", format, "--pid", pid()};
                assertThat(LeanApply.parse(args)).isPresent();
                CommandRun lean = CommandRun.main(args);
                kvmtune("restore", "--pid", pid());
                assertThat(TaskState.all(guest.pid())).isEqualTo(original);
                CommandRun picocli = kvmtune(args);
                kvmtune("restore", "--pid", pid());
                assertThat(lean).as(file + " " + format).isEqualTo(picocli);
                assertThat(lean.status()).as(lean.err()).isEqualTo(file == good ? 0 : 3);
            }
        }
        CommandRun notQemu = CommandRun.main("apply", "--pid", Long.toString(ProcessHandle.current().pid()),
                "--plan", good.toString());
        assertThat(notQemu).isEqualTo(kvmtune("apply", "--pid", Long.toString(ProcessHandle.current().pid()),
                "--plan", good.toString()));
        assertThat(notQemu.status()).isNotZero();
    }

    @Test
    void aPlanNamingAMissingCpuIsRolledBackWithExit3AndTheRollbackReport() throws Exception {
        String plan = realtimePlanJson();
        Path file = Files.writeString(dir.resolve("plan.json"), plan.replace("\"pcpus\": [" + last + "]", "\"pcpus\": [4000]"));
        assertThat(Files.readString(file)).contains("[4000]");
        CommandRun apply = kvmtune("apply", "--pid", pid(), "--plan", file.toString(), "--format", "json");
        assertThat(apply.status()).isEqualTo(3);
        // cleanups of earlier tests' exited QEMUs (CLI.md: one "kvmtune: cleaned up" line each) may come first
        assertThat(apply.err().lines().filter(l -> !l.startsWith("kvmtune: cleaned up "))).singleElement().asString()
                .startsWith("kvmtune: ApplyFailed: ");
        JsonObject out = Json.parseObject(apply.out());
        assertThat(out.object("error").string("code")).isEqualTo("ApplyFailed");
        assertThat(out.object("rollback").bool("complete")).isTrue();
        assertThat(TaskState.all(guest.pid())).isEqualTo(original);
    }

    @Test
    void planAndRequestOptionsExcludeEachOther() {
        CommandRun apply = kvmtune("apply", "--pid", pid(), "--plan", "x.json", "--vcpus", "4");
        assertThat(apply.status()).isEqualTo(2);
        assertThat(apply.err()).contains("exclude each other");
    }

    @Test
    void theDemoAppliesVerifiesAndRestoresItsOwnGuest() {
        CommandRun demo = kvmtune("demo", "--format", "json");
        assertThat(demo.status()).as(demo.err()).isZero();
        JsonObject report = Json.parseObject(demo.out());
        assertThat(report.object("verify").bool("as_planned")).isTrue();
        assertThat(report.object("restore").bool("complete")).isTrue();
        assertThat(report.object("setup").string("why")).isNotBlank();
        int demoPid = report.object("qemu").intValue("pid");
        assertThat(ProcessHandle.of(demoPid)).as("the demo stopped its guest").isEmpty();
    }
}
