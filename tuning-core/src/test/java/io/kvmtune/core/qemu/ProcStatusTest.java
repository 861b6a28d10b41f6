package io.kvmtune.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.cpu.CpuSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatusTest {

    @Test
    void readsTgidAffinityAndLockedMemory() {
        ProcStatus status = ProcStatus.parse("Name:\tCPU 0/KVM\nTgid:\t11417\nPid:\t11429\nVmLck:\t  131072 kB\n"
                + "Cpus_allowed:\t3\nCpus_allowed_list:\t0-1,4\n");

        assertThat(status.tgid()).isEqualTo(11417);
        assertThat(status.cpusAllowed()).isEqualTo(CpuSet.of(0, 1, 4));
        assertThat(status.vmLckKb()).hasValue(131072);
    }

    @Test
    void kernelThreadsHaveNoLockedMemoryLine() {
        ProcStatus status = ProcStatus.parse("Name:\tkvm-pit/11417\nTgid:\t11442\nCpus_allowed_list:\t0-1\n");

        assertThat(status.vmLckKb()).isEmpty();
    }

    @Test
    void namesTheMissingOrMalformedLine() {
        assertThatThrownBy(() -> ProcStatus.parse("Cpus_allowed_list:\t0\n"))
                .isInstanceOf(ProcFormatException.class).hasMessage("status: no Tgid line");
        assertThatThrownBy(() -> ProcStatus.parse("Tgid:\t1\n"))
                .isInstanceOf(ProcFormatException.class).hasMessage("status: no Cpus_allowed_list line");
        assertThatThrownBy(() -> ProcStatus.parse("Tgid:\t1\nCpus_allowed_list:\t0-x\n"))
                .isInstanceOf(ProcFormatException.class).hasMessageStartingWith("status: Cpus_allowed_list: ");
        assertThatThrownBy(() -> ProcStatus.parse("Tgid:\t1\nCpus_allowed_list:\t0\nVmLck:\t12 MB\n"))
                .isInstanceOf(ProcFormatException.class).hasMessageContaining("VmLck is \"12 MB\"");
        assertThatThrownBy(() -> ProcStatus.parse("Tgid:\t0\nCpus_allowed_list:\t0\n"))
                .isInstanceOf(ProcFormatException.class).hasMessageContaining("Tgid is \"0\"");
    }

    @Test
    void agreesWithTheKernelAboutThisProcess() throws IOException {
        ProcStatus status = ProcStatus.parse(Files.readString(Path.of("/proc/self/status")));

        assertThat(status.tgid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(status.cpusAllowed().isEmpty()).isFalse();
        assertThat(status.vmLckKb()).isPresent();
    }
}
