package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuMaskTest {

    @Test
    void sizesLikeCpuAllocSize() {
        assertThat(CpuMask.allocSize(1)).isEqualTo(8);
        assertThat(CpuMask.allocSize(64)).isEqualTo(8);
        assertThat(CpuMask.allocSize(65)).isEqualTo(16);
        assertThat(CpuMask.allocSize(1025)).isEqualTo(136);
        assertThat(CpuMask.allocSize(8192)).isEqualTo(1024);
    }

    @Test
    void possibleCpusIsTheHighestListedPlusOne(@TempDir Path dir) throws Exception {
        Path possible = dir.resolve("possible");
        Files.writeString(possible, "0-3,8-2047\n");
        assertThat(CpuMask.possibleCpusOrFallback(possible)).isEqualTo(2048);
        Files.writeString(possible, "0\n");
        assertThat(CpuMask.possibleCpusOrFallback(possible)).isEqualTo(1);
    }

    @Test
    void anUnreadableOrGarbledFileFallsBackTo1024(@TempDir Path dir) throws Exception {
        assertThat(CpuMask.possibleCpusOrFallback(dir.resolve("missing"))).isEqualTo(CpuMask.FALLBACK_CPUS);
        Path garbled = Files.writeString(dir.resolve("possible"), "zero to three");
        assertThat(CpuMask.possibleCpusOrFallback(garbled)).isEqualTo(CpuMask.FALLBACK_CPUS);
        assertThatThrownBy(() -> CpuMask.highestListed("1-x")).hasMessage("not a CPU list: '1-x'");
    }

    @Test
    void cpuNIsBitNModulo64OfWordNDiv64AndSurvivesARoundTrip() {
        BitSet cpus = new BitSet();
        cpus.set(0);
        cpus.set(65);
        cpus.set(1500);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(CpuMask.allocSize(2048), Long.BYTES);
            CpuMask.write(cpus, mask);
            assertThat(mask.getAtIndex(ValueLayout.JAVA_LONG, 0)).isEqualTo(1L);
            assertThat(mask.getAtIndex(ValueLayout.JAVA_LONG, 1)).isEqualTo(2L);
            assertThat(mask.getAtIndex(ValueLayout.JAVA_LONG, 1500 / 64)).isEqualTo(1L << (1500 % 64));
            assertThat(CpuMask.read(mask)).isEqualTo(cpus);
        }
    }
}
