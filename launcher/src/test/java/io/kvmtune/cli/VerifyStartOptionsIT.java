package io.kvmtune.cli;

import static io.kvmtune.cli.CommandRun.kvmtune;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.qemu.ThrowawayGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} compares the plan's HPET and guest CPU with what a real QEMU was started with:
 * here {@code -no-hpet -cpu pentium}, with its threads placed as planned, so that the start options
 * are the only possible differences.
 */
class VerifyStartOptionsIT {

    @TempDir
    Path dir;

    ThrowawayGuest guest;
    String pid;
    Path config;

    @BeforeEach
    void startGuest() throws Exception {
        assumeTrue(ThrowawayGuest.binary().isPresent(), "qemu-system-x86_64 is not installed");
        Path records = RecordStore.DEFAULT_DIR;
        assumeTrue(Files.isWritable(Files.exists(records) ? records : records.getParent()),
                "apply keeps its record in " + records + ", which this user cannot write");
        int first = CpuSet.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip()).first();
        // Planned for KVM, the only virt_type Nova plans an HPET for, whatever this QEMU runs on. A model
        // and a flag the host can run (planning checks them as Nova's start-up does): pentium asks for
        // nothing an x86-64 host lacks, even one whose kernel hides mtrr (a PVM guest; pentium3 needs
        // it), and every x86-64 CPU has sse2, which is not part of pentium.
        config = Files.writeString(dir.resolve("kvmtune.conf"), "[compute]\ncpu_shared_set = " + first
                + "\n[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = pentium\ncpu_model_extra_flags = +sse2\n");
        guest = ThrowawayGuest.start(ThrowawayGuest.Options.defaults().withVcpus(2)
                .withArguments("-no-hpet", "-cpu", "pentium"));
        pid = Integer.toString(guest.pid());
    }

    @AfterEach
    void stopGuest() {
        if (guest != null) {
            kvmtune("restore", "--pid", pid);
            guest.close();
        }
    }

    @Test
    void aPlanWithAnHpetAndAFeatureTheQemuLacksDiffersFromTheSavedRecordAndFromAPlanFile() throws Exception {
        CommandRun apply = kvmtune("apply", "--pid", pid, "--config", config.toString(), "--claims", "none",
                "--image-prop", "hw_time_hpet=true");
        assertThat(apply.status()).as(apply.out() + apply.err()).isZero();

        CommandRun verify = kvmtune("verify", "--pid", pid);
        assertThat(verify.status()).as(verify.out() + verify.err()).isEqualTo(1);
        assertThat(verify.out().lines()).containsExactly(
                "hpet: plan present=yes, QEMU runs without one (-no-hpet or -machine hpet=off)",
                "cpu feature sse2: plan policy=require, QEMU's -cpu does not set it");

        Path plan = Files.writeString(dir.resolve("plan.json"), plan(config, "--image-prop", "hw_time_hpet=true"));
        CommandRun fromFile = kvmtune("verify", "--pid", pid, "--plan", plan.toString(), "--format", "json");
        assertThat(fromFile.status()).as(fromFile.out() + fromFile.err()).isEqualTo(1);
        JsonObject report = Json.parseObject(fromFile.out());
        assertThat(report.bool("as_planned")).isFalse();
        assertThat(report.array("differences")).hasSize(2).contains(
                "hpet: plan present=yes, QEMU runs without one (-no-hpet or -machine hpet=off)");
        assertThat(report.array("not_compared")).as("a custom model is decidable").isEmpty();
    }

    @Test
    void aPlanWithoutHpetForTheSameCpuModelIsAsPlanned() throws Exception {
        Path matching = Files.writeString(dir.resolve("matching.conf"),
                Files.readString(config).replace("cpu_model_extra_flags = +sse2\n", ""));
        Path plan = Files.writeString(dir.resolve("plan.json"), plan(matching));
        assertThat(Json.parseObject(Files.readString(plan)).bool("hpet")).as("Nova's x86 default").isFalse();
        CommandRun apply = kvmtune("apply", "--pid", pid, "--plan", plan.toString());
        assertThat(apply.status()).as(apply.out() + apply.err()).isZero();

        CommandRun verify = kvmtune("verify", "--pid", pid);
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("is as planned");
        CommandRun fromFile = kvmtune("verify", "--pid", pid, "--plan", plan.toString());
        assertThat(fromFile.status()).as(fromFile.out() + fromFile.err()).isZero();
    }

    private static String plan(Path conf, String... more) {
        List<String> args = new ArrayList<>(List.of("plan", "--vcpus", "2", "--config", conf.toString(),
                "--claims", "none", "--format", "json"));
        args.addAll(List.of(more));
        CommandRun plan = kvmtune(args.toArray(String[]::new));
        assertThat(plan.status()).as(plan.err()).isZero();
        return plan.out();
    }
}
