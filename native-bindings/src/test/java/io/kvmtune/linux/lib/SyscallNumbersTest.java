package io.kvmtune.linux.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyscallNumbersTest {

    @Test
    void selectsTheTableFromOsArch() {
        assertThat(SyscallNumbers.forArch("amd64")).isEqualTo(SyscallNumbers.X86_64);
        assertThat(SyscallNumbers.forArch("aarch64")).isEqualTo(SyscallNumbers.AARCH64);
        assertThat(SyscallNumbers.X86_64.sched_setattr()).isEqualTo(314);
        assertThat(SyscallNumbers.AARCH64.sched_setattr()).isEqualTo(274);
        assertThatThrownBy(() -> SyscallNumbers.forArch("riscv64"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("kvmtune has no system call table for os.arch=riscv64 (supported: x86_64, aarch64)");
    }
}
