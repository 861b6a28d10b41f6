package io.kvmtune.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.plan.CpuFeature;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {

    private static QemuCommandLine parse(String... args) {
        return QemuCommandLine.parse(List.of(args));
    }

    /** Shaped like the command line libvirt 9.0 writes (trimmed). */
    @Test
    void readsALibvirtCommandLine() {
        QemuCommandLine cmd = parse("/usr/bin/qemu-system-x86_64",
                "-name", "guest=rt1,debug-threads=on", "-S",
                "-machine", "pc-q35-7.2,usb=off,dump-guest-core=off,memory-backend=pc.ram,hpet=off",
                "-accel", "kvm", "-cpu", "host,migratable=on,+invtsc,pmu=off,tsc-deadline=on",
                "-overcommit", "mem-lock=on", "-uuid", "0b0e6bbb-cc7e-4c54-9c29-6a0f1a6e8f3a",
                "-chardev", "socket,id=charmonitor,fd=29,server=on,wait=off",
                "-mon", "chardev=charmonitor,id=monitor,mode=control");

        assertThat(cmd.name()).contains("rt1");
        assertThat(cmd.debugThreads()).isTrue();
        assertThat(cmd.machineType()).contains("pc-q35-7.2");
        assertThat(cmd.hpet()).contains(false);
        assertThat(cmd.cpuModel()).contains("host");
        assertThat(cmd.cpuFeatures()).containsExactly(new CpuFeature("migratable", "require"),
                new CpuFeature("invtsc", "require"), new CpuFeature("pmu", "disable"),
                new CpuFeature("tsc-deadline", "require"));
        assertThat(cmd.memLock()).isTrue();
        assertThat(cmd.uuid()).contains("0b0e6bbb-cc7e-4c54-9c29-6a0f1a6e8f3a");
        assertThat(cmd.qmpSockets()).as("libvirt passes its monitor as a file descriptor").isEmpty();
    }

    @Test
    void theMaximumVcpuCountIsMaxcpusOfTheLastSmpElseItsCount() {
        assertThat(parse("qemu-system-x86_64", "-smp", "1,maxcpus=2,sockets=2,dies=1,cores=1,threads=1").maxVcpus())
                .hasValue(2);
        assertThat(parse("qemu-system-x86_64", "-smp", "4").maxVcpus()).hasValue(4);
        assertThat(parse("qemu-system-x86_64", "-smp", "cpus=3", "--smp", "cpus=2,maxcpus=8").maxVcpus()).hasValue(8);
        assertThat(parse("qemu-system-x86_64").maxVcpus()).isEmpty();
    }

    @Test
    void theVcpusStartedWithAreTheCountOfTheLastSmp() {
        assertThat(parse("qemu-system-x86_64", "-smp", "1,maxcpus=2,sockets=2,dies=1,cores=1,threads=1").vcpus())
                .hasValue(1);
        assertThat(parse("qemu-system-x86_64", "-smp", "cpus=3", "--smp", "cpus=2,maxcpus=8").vcpus()).hasValue(2);
        assertThat(parse("qemu-system-x86_64", "-smp", "maxcpus=8").vcpus()).isEmpty();
        assertThat(parse("qemu-system-x86_64").vcpus()).isEmpty();
    }

    @Test
    void hpetDefaultsToOnForPcAndQ35AndIsUnknownElsewhere() {
        assertThat(parse("qemu-system-x86_64").hpet()).contains(true);
        assertThat(parse("/usr/bin/qemu-system-x86_64", "-M", "q35").hpet()).contains(true);
        assertThat(parse("qemu-system-x86_64", "-machine", "type=pc-i440fx-7.2").hpet()).contains(true);
        assertThat(parse("qemu-system-x86_64", "-machine", "microvm").hpet()).isEmpty();
        assertThat(parse("qemu-system-aarch64", "-machine", "virt").hpet()).isEmpty();
    }

    @Test
    void laterHpetSettingsOverrideEarlierOnes() {
        assertThat(parse("qemu-system-x86_64", "-no-hpet").hpet()).contains(false);
        assertThat(parse("qemu-system-x86_64", "--no-hpet", "-machine", "hpet=on").hpet()).contains(true);
        assertThat(parse("qemu-system-x86_64", "-machine", "q35,hpet=on", "-no-hpet").hpet()).contains(false);
        assertThat(parse("qemu-system-x86_64", "-machine", "hpet=off", "-machine", "q35").hpet())
                .as("a later -machine without hpet= keeps the earlier setting").contains(false);
    }

    @Test
    void nameMayOmitItsKeyAndContainEscapedCommas() {
        QemuCommandLine cmd = parse("qemu-system-x86_64", "-name", "a,,b");

        assertThat(cmd.name()).contains("a,b");
        assertThat(cmd.debugThreads()).isFalse();
    }

    @Test
    void theLastCpuOptionCountsAndTheLastWordForAFeatureWins() {
        QemuCommandLine cmd = parse("qemu-system-x86_64", "-cpu", "max", "-cpu",
                "Skylake-Server,+pcid,-pcid,hv-vendor-id=kvmtune,x2apic,-spec-ctrl");

        assertThat(cmd.cpuModel()).contains("Skylake-Server");
        assertThat(cmd.cpuFeatures()).containsExactly(new CpuFeature("pcid", "disable"),
                new CpuFeature("x2apic", "require"), new CpuFeature("spec-ctrl", "disable"));
        assertThat(cmd.cpuProperties()).isEqualTo(Map.of("hv-vendor-id", "kvmtune"));
    }

    @Test
    void findsQmpSocketsFromQmpAndFromControlMonitors() {
        QemuCommandLine cmd = parse("qemu-system-x86_64",
                "-qmp", "unix:/run/a.sock,server=on,wait=off",
                "-qmp", "tcp:127.0.0.1:4444,server=on",
                "-chardev", "socket,id=m1,path=/run/b.sock,server=on,wait=off",
                "-chardev", "socket,id=hmp,path=/run/hmp.sock,server=on",
                "-mon", "chardev=m1,mode=control",
                "-mon", "hmp");

        assertThat(cmd.qmpSockets()).containsExactly(Path.of("/run/a.sock"), Path.of("/run/b.sock"));
    }

    @Test
    void memoryLockIsOnlyOnWhenAskedFor() {
        assertThat(parse("qemu-system-x86_64").memLock()).isFalse();
        assertThat(parse("qemu-system-x86_64", "-overcommit", "mem-lock=off").memLock()).isFalse();
        assertThat(parse("qemu-system-x86_64", "-overcommit", "mem-lock=on-fault").memLock()).isTrue();
    }

    @Test
    void optionValuesAreNotMistakenForOptions() {
        QemuCommandLine cmd = parse("qemu-system-x86_64", "-uuid", "-no-hpet", "-cpu");

        assertThat(cmd.uuid()).contains("-no-hpet");
        assertThat(cmd.hpet()).as("-no-hpet here is the value of -uuid").contains(true);
        assertThat(cmd.cpuModel()).as("a trailing option without value").isEmpty();
    }

    @Test
    void anEmptyCommandLineIsKnownForNothing() {
        QemuCommandLine cmd = QemuCommandLine.parse(List.of());

        assertThat(cmd.name()).isEmpty();
        assertThat(cmd.hpet()).isEmpty();
        assertThat(cmd.cpuModel()).isEmpty();
    }
}
