package io.kvmtune.cli;

import static io.kvmtune.cli.CommandRun.kvmtune;
import static io.kvmtune.core.apply.LibvirtTestDomain.virsh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.apply.LibvirtTestDomain;
import io.kvmtune.core.qemu.ThrowawayGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A domain written by {@code kvmtune xml --domain-xml} with {@code cpu_mode=custom} starts under
 * the real libvirtd, and QEMU runs the model in libvirt's spelling with the extra flag. Penryn is
 * planned for a declared Penryn-class host (on a nested or paravirtual KVM host this one's KVM may
 * not offer Penryn's features, and planning for this host refuses it, as Nova's start-up check
 * would); pentium3 is planned for this host, where KVM offers it. On a host without KVM both run
 * under TCG ({@code virt_type=qemu}, where Nova compares no model with the host). Run under the host lock
 * ({@code flock /tmp/kvmtune-host.lock}): it defines, starts and removes a libvirt domain.
 */
class LibvirtCpuModelIT {

    private static final String PENRYN_HOST = """
            {"online": "0-1", "nodes": [{"id": 0, "cpus": "0-1"}], "arch": "x86_64", "cpu_vendor": "GenuineIntel",
             "cpu_flags": "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc pni ssse3 cx16 sse4_1 pcid lahf_lm"}
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1} -> -cpu {2}")
    @CsvSource({"penryn, +pcid, 'Penryn,pcid=on', declared", "PENTIUM3, +sse2, 'pentium3,sse2=on', sysfs"})
    void aDomainKvmtuneWroteStartsWithTheModelInLibvirtsSpellingAndTheFlag(String model, String flag, String cpuArgument,
            String topology) throws Exception {
        Path startLibvirtd = Path.of("..").resolve("scripts/start-libvirtd");
        assumeTrue(ThrowawayGuest.binary().isPresent(), "qemu-system-x86_64 is not installed");
        assumeTrue(LibvirtTestDomain.libvirtAvailable(startLibvirtd), "libvirtd does not answer and cannot be started");
        String name = "kvmtune-it-cpu-" + model.toLowerCase();
        Path base = Files.writeString(dir.resolve("base.xml"), "<domain type='" + LibvirtTestDomain.domainType() + "'><name>" + name + "</name>"
                + "<memory unit='MiB'>64</memory><vcpu>2</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>"
                + "<devices><emulator>" + ThrowawayGuest.binary().get() + "</emulator></devices></domain>");
        Path conf = Files.writeString(dir.resolve("kvmtune.conf"), LibvirtTestDomain.libvirtSection(
                "cpu_mode = custom\ncpu_models = " + model + "\ncpu_model_extra_flags = " + flag + "\n"));
        Path host = topology.equals("declared") ? Files.writeString(dir.resolve("host.json"), PENRYN_HOST) : null;
        List<String> args = new ArrayList<>(List.of("xml", "--vcpus", "2", "--config", conf.toString(),
                "--claims", "none", "--domain-xml", base.toString()));
        if (host != null) {
            args.addAll(List.of("--topology", host.toString()));
        }
        CommandRun xml = kvmtune(args.toArray(String[]::new));
        assertThat(xml.status()).as(xml.err()).isZero();
        Path domain = Files.writeString(dir.resolve("domain.xml"), xml.out());

        try {
            assertThat(virsh("define", domain.toString()).exitCode()).isZero();
            LibvirtTestDomain.Result started = virsh("start", name, "--paused");
            assertThat(started.exitCode()).as("virsh start: " + started.output()).isZero();
            String pid = Files.readString(Path.of("/run/libvirt/qemu/" + name + ".pid")).strip();
            List<String> cmdline = List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
            assertThat(cmdline.get(cmdline.indexOf("-cpu") + 1)).isEqualTo(cpuArgument);
        } finally {
            virsh("destroy", name);
            virsh("undefine", name);
        }
    }
}
