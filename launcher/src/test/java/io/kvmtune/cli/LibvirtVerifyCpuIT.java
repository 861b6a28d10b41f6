package io.kvmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.apply.LibvirtTestDomain;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code verify} of a running libvirt domain that asks for a CPU model
 * ({@code <cpu mode='custom'><model>}) on the real libvirtd (issue 13, item 4): the model is
 * compared with the {@code -cpu} libvirt started QEMU with, and with the plan's, and reported as
 * equal, or as a difference naming both; a {@code host-model} plan on such a domain is a
 * difference, not a model libvirt derived from the host ({@code not_compared}). pentium2 and
 * pentium3 are models KVM runs in full on any x86 host ({@code kvmtune cpu-models}).
 */
class LibvirtVerifyCpuIT extends OnOperatorHost {

    private LibvirtTestDomain start(String name, String model) {
        return host.start(name, "<vcpu placement='static'>1</vcpu>"
                + "<cpu mode='custom' match='exact'><model fallback='forbid'>" + model + "</model></cpu>"
                + "<clock offset='utc'><timer name='hpet' present='no'/></clock>");
    }

    private CommandRun applyAndVerify(LibvirtTestDomain d, String libvirtSection) {
        Path config = host.config(LibvirtTestDomain.libvirtSection(libvirtSection));
        CommandRun applied = host.kvmtune("apply", "--domain", d.name(), "--config", config.toString(), "--claims", "none");
        assertThat(applied.status()).as(applied.out() + applied.err()).isZero();
        return host.kvmtune("verify", "--domain", d.name(), "--format", "json");
    }

    @Test
    void theModelTheDomainAsksForIsComparedAndEqualToThePlans() {
        LibvirtTestDomain d = start("cpu-same", "pentium3");

        CommandRun verify = applyAndVerify(d, "cpu_mode = custom\ncpu_models = pentium3\n");

        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
        JsonObject report = Json.parseObject(verify.out());
        assertThat(report.bool("as_planned")).isTrue();
        assertThat(report.array("not_compared")).isEmpty();
        assertThat(report.array("compared_equal")).contains(
                "cpu: the domain asks for model pentium3, QEMU runs with -cpu pentium3",
                "cpu: plan model pentium3, QEMU runs with -cpu pentium3");
    }

    @Test
    void aDomainRunningAnotherModelThanThePlansIsADifferenceNamingBoth() {
        LibvirtTestDomain d = start("cpu-other", "pentium2");

        JsonObject report = differsOnlyIn(applyAndVerify(d, "cpu_mode = custom\ncpu_models = pentium3\n"),
                "cpu: plan model pentium3, QEMU runs with -cpu pentium2");

        assertThat(report.array("compared_equal"))
                .contains("cpu: the domain asks for model pentium2, QEMU runs with -cpu pentium2");
    }

    @Test
    void aHostModelPlanOnADomainAskingForAModelIsADifferenceNotANoteAboutADerivedModel() {
        LibvirtTestDomain d = start("cpu-hm", "pentium3");

        differsOnlyIn(applyAndVerify(d, "cpu_mode = host-model\n"),
                "cpu: plan mode host-model, the domain asks for model pentium3 (mode custom), so QEMU runs -cpu pentium3");
    }

    /** verify exited 1 with {@code difference} its only difference and nothing filed as not compared; its JSON report. */
    private static JsonObject differsOnlyIn(CommandRun verify, String difference) {
        assertThat(verify.status()).as(verify.out() + verify.err()).isEqualTo(1);
        JsonObject report = Json.parseObject(verify.out());
        assertThat(report.array("differences")).containsExactly(difference);
        assertThat(report.array("not_compared")).isEmpty();
        return report;
    }
}
