package io.kvmtune.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.CpuFeature;
import io.kvmtune.core.plan.GuestCpu;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.QemuCommandLine;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLineCheckTest {

    private static final String QEMU = "/usr/bin/qemu-system-x86_64";

    private static TuningPlan plan(Optional<Boolean> hpet, Optional<GuestCpu> cpu) {
        TuningPlan base = TestGuests.realtimePlan(2, 0, CpuSet.of(0), false);
        return new TuningPlan(base.vcpus(), base.realtime(), base.emulator(), base.isolatedEmulatorPcpu(), base.memory(),
                hpet, cpu, base.reasons());
    }

    private static TuningPlan hpet(boolean present) {
        return plan(Optional.of(present), Optional.empty());
    }

    private static TuningPlan cpu(String mode, String model, CpuFeature... features) {
        return plan(Optional.empty(), Optional.of(new GuestCpu(mode, model, List.of(features))));
    }

    private static CommandLineCheck check(TuningPlan plan, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(QEMU));
        argv.addAll(List.of(args));
        return CommandLineCheck.of(plan, QemuCommandLine.parse(argv));
    }

    private static CpuFeature require(String name) {
        return new CpuFeature(name, "require");
    }

    private static CpuFeature disable(String name) {
        return new CpuFeature(name, "disable");
    }

    @Test
    void aPlannedHpetIsMissingUnderNoHpetAndUnderTheMachineProperty() {
        assertThat(check(hpet(true), "-no-hpet").differences()).containsExactly(
                "hpet: plan present=yes, QEMU runs without one (-no-hpet or -machine hpet=off)");
        assertThat(check(hpet(true), "-machine", "pc-q35-7.2,hpet=off").differences()).hasSize(1);
        assertThat(check(hpet(true), "-machine", "q35").differences()).isEmpty();
    }

    @Test
    void anHpetThePlanTurnsOffIsADifferenceWhenTheMachineHasOneByDefault() {
        assertThat(check(hpet(false), "-machine", "pc-i440fx-7.2").differences()).containsExactly(
                "hpet: plan present=no, QEMU runs with one (-machine hpet=on or the default of machine pc-i440fx-7.2)");
        assertThat(check(hpet(false), "-machine", "q35,hpet=off").differences()).isEmpty();
        assertThat(check(hpet(false), "-no-hpet").differences()).isEmpty();
    }

    @Test
    void anHpetOnAMachineWhoseDefaultIsUnknownIsNotComparedAndSaysSo() {
        CommandLineCheck check = check(hpet(true), "-machine", "microvm");
        assertThat(check.differences()).isEmpty();
        assertThat(check.notCompared()).singleElement().asString().contains("microvm").contains("not known");
    }

    @Test
    void aPlanWithoutHpetOrCpuElementComparesNothing() {
        CommandLineCheck check = check(plan(Optional.empty(), Optional.empty()), "-no-hpet", "-cpu", "qemu64");
        assertThat(check.differences()).isEmpty();
        assertThat(check.notCompared()).isEmpty();
        assertThat(check(cpu(null, null), "-cpu", "host").differences()).as("cpu_mode=none").isEmpty();
    }

    @Test
    void hostPassthroughIsCpuHost() {
        assertThat(check(cpu("host-passthrough", null), "-cpu", "host,migratable=on").differences()).isEmpty();
        assertThat(check(cpu("host-passthrough", null), "-cpu", "Skylake-Server").differences()).containsExactly(
                "cpu: plan mode host-passthrough (-cpu host), QEMU runs with -cpu Skylake-Server");
        assertThat(check(cpu("host-passthrough", null)).differences()).containsExactly(
                "cpu: plan mode host-passthrough (-cpu host), QEMU runs with no -cpu (QEMU's default model)");
    }

    @Test
    void customComparesTheModelIgnoringCaseAndNamesItAsQemuDoes() {
        assertThat(check(cpu("custom", "Skylake-Server-IBRS"), "-cpu", "Skylake-Server-IBRS").differences()).isEmpty();
        assertThat(check(cpu("custom", "POWER9"), "-cpu", "power9").differences()).isEmpty();
        assertThat(check(cpu("custom", "Skylake-Server"), "-cpu", "Cascadelake-Server,+pcid").differences())
                .containsExactly("cpu: plan model Skylake-Server, QEMU runs with -cpu Cascadelake-Server");
    }

    @Test
    void hostModelIsOnlyCheckedNotToBeHostMaxOrTheDefaultModel() {
        CommandLineCheck expanded = check(cpu("host-model", null), "-cpu", "Skylake-Client-IBRS,ss=on,vmx=on");
        assertThat(expanded.differences()).isEmpty();
        assertThat(expanded.notCompared()).singleElement().asString().contains("Skylake-Client-IBRS");
        for (String cpu : List.of("host", "max")) {
            assertThat(check(cpu("host-model", null), "-cpu", cpu).differences()).singleElement().asString()
                    .startsWith("cpu: plan mode host-model").endsWith("QEMU runs with -cpu " + cpu);
        }
        assertThat(check(cpu("host-model", null)).differences()).hasSize(1);
    }

    @Test
    void featuresMapToOnOffAndPlusMinusInQemuSpelling() {
        TuningPlan plan = cpu("custom", "Skylake-Server", require("pcid"), disable("tsx-ctrl"), require("pclmuldq"),
                require("sse4.1"), require("lahf_lm"));
        assertThat(check(plan, "-cpu", "Skylake-Server,+pcid,tsx-ctrl=off,pclmulqdq=on,sse4_1=on,lahf-lm=on")
                .differences()).isEmpty();
        assertThat(check(plan, "-cpu", "Skylake-Server,pcid=on,-tsx-ctrl,pclmulqdq,sse4-1=on,lahf_lm=on")
                .differences()).isEmpty();
    }

    @Test
    void aFeatureSetTheOtherWayIsADifferenceInEveryMode() {
        for (String mode : List.of("host-passthrough", "host-model")) {
            String model = mode.equals("host-passthrough") ? "host" : "EPYC-Rome";
            CommandLineCheck check = check(cpu(mode, null, require("invtsc"), disable("pmu")),
                    "-cpu", model + ",invtsc=off,pmu=on");
            assertThat(check.differences()).as(mode).containsExactly(
                    "cpu feature invtsc: plan policy=require, QEMU runs with invtsc=off",
                    "cpu feature pmu: plan policy=disable, QEMU runs with pmu=on");
        }
    }

    @Test
    void aFeatureNotSetIsADifferenceExceptUnderHostModelWhereTheExpandedModelMayCarryIt() {
        assertThat(check(cpu("custom", "qemu64", require("pcid")), "-cpu", "qemu64").differences())
                .containsExactly("cpu feature pcid: plan policy=require, QEMU's -cpu does not set it");
        assertThat(check(cpu("host-passthrough", null, disable("vmx")), "-cpu", "host").differences())
                .containsExactly("cpu feature vmx: plan policy=disable, QEMU's -cpu does not set it");
        CommandLineCheck hostModel = check(cpu("host-model", null, require("pcid")), "-cpu", "Skylake-Client");
        assertThat(hostModel.differences()).isEmpty();
        assertThat(hostModel.notCompared()).anySatisfy(n -> assertThat(n).startsWith("cpu feature pcid:"));
    }

    @Test
    void featuresOnTheCommandLineThatThePlanDoesNotNameAreNotDifferences() {
        assertThat(check(cpu("host-passthrough", null, require("invtsc")),
                "-cpu", "host,migratable=on,invtsc=on,hv-time=on,pmu=off,kvm-pv-unhalt=on").differences()).isEmpty();
    }

    @Test
    void qemuWordsForLibvirtFeaturesAreTheSameFeature() {
        assertThat(CommandLineCheck.sameFeature("sse3", "pni")).isTrue();
        assertThat(CommandLineCheck.sameFeature("xd", "nx")).isTrue();
        assertThat(CommandLineCheck.sameFeature("i64", "lm")).isTrue();
        assertThat(CommandLineCheck.sameFeature("ffxsr", "fxsr_opt")).isTrue();
        assertThat(CommandLineCheck.sameFeature("sse4-2", "sse4.2")).isTrue();
        assertThat(CommandLineCheck.sameFeature("sse4-2", "sse4.1")).isFalse();
        assertThat(CommandLineCheck.sameFeature("pcid", "invpcid")).isFalse();
    }

    @Test
    void anUnknownModeIsNotComparedAndSaysSo() {
        CommandLineCheck check = check(cpu("maximum", null, require("pcid")), "-cpu", "max");
        assertThat(check.differences()).isEmpty();
        assertThat(check.notCompared()).containsExactly("cpu: plan mode maximum is not one kvmtune compares");
    }

    @Test
    void aModelTheDomainAsksForIsComparedWithQemusAndAHostModelPlanThenDiffers() {
        io.kvmtune.core.libvirt.StartSettings penryn = new io.kvmtune.core.libvirt.StartSettings(Optional.empty(),
                Optional.of("custom"), Optional.of("Penryn"), List.of(), false);
        List<String> argv = List.of(QEMU, "-cpu", "Penryn");

        CommandLineCheck asked = CommandLineCheck.of(cpu("host-model", null), QemuCommandLine.parse(argv),
                Optional.of(penryn));

        assertThat(asked.notCompared()).as("not a model libvirt derived from the host").isEmpty();
        assertThat(asked.differences()).containsExactly(
                "cpu: plan mode host-model, the domain asks for model Penryn (mode custom), so QEMU runs -cpu Penryn");
        assertThat(CommandLineCheck.of(cpu("custom", "Penryn"), QemuCommandLine.parse(List.of(QEMU, "-cpu", "qemu64")),
                Optional.of(penryn)).differences()).contains("cpu: the domain asks for model Penryn, QEMU runs with -cpu qemu64");
        assertThat(CommandLineCheck.of(cpu("custom", "Penryn"), QemuCommandLine.parse(argv), Optional.of(penryn))
                .differences()).isEmpty();
    }

    @Test
    void whatWasComparedAndFoundAsPlannedIsListedSoThatAMatchIsToldFromASkip() {
        CommandLineCheck check = CommandLineCheck.of(
                plan(Optional.of(false), Optional.of(new GuestCpu("custom", "pentium3", List.of(require("sse2"))))),
                QemuCommandLine.parse(List.of(QEMU, "-no-hpet", "-cpu", "pentium3,sse2=on")),
                Optional.of(new io.kvmtune.core.libvirt.StartSettings(Optional.empty(), Optional.of("custom"),
                        Optional.of("pentium3"), List.of(), false)));

        assertThat(check.differences()).isEmpty();
        assertThat(check.notCompared()).isEmpty();
        assertThat(check.equal()).containsExactly(
                "hpet: plan present=no, QEMU runs without one (-no-hpet or -machine hpet=off)",
                "cpu: the domain asks for model pentium3, QEMU runs with -cpu pentium3",
                "cpu: plan model pentium3, QEMU runs with -cpu pentium3",
                "cpu feature sse2: plan policy=require, QEMU runs with sse2=on");
        assertThat(check(cpu("custom", "pentium3"), "-cpu", "pentium2").equal()).isEmpty();
    }
}
