package io.kvmtune.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadRoleTest {

    @Test
    void ordersVcpusByIndexThenIoThreadsByIdThenEmulatorThreads() {
        List<ThreadRole> sorted = List.of(new ThreadRole.Vcpu(0), new ThreadRole.Vcpu(2), new ThreadRole.Vcpu(10),
                new ThreadRole.IoThread("iothread1"), new ThreadRole.IoThread("iothread2"), new ThreadRole.Emulator());
        List<ThreadRole> shuffled = new ArrayList<>(sorted);
        Collections.reverse(shuffled);
        Collections.sort(shuffled);
        assertThat(shuffled).containsExactlyElementsOf(sorted);
    }

    @Test
    void isConsistentWithEquals() {
        assertThat(new ThreadRole.Vcpu(3).compareTo(new ThreadRole.Vcpu(3))).isZero();
        assertThat(new ThreadRole.IoThread("io").compareTo(new ThreadRole.IoThread("io"))).isZero();
        assertThat(new ThreadRole.Emulator().compareTo(new ThreadRole.Emulator())).isZero();
        assertThat(new ThreadRole.Vcpu(3).compareTo(new ThreadRole.Emulator())).isNegative();
        assertThat(new ThreadRole.Emulator().compareTo(new ThreadRole.IoThread("io"))).isPositive();
    }
}
