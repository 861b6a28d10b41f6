package io.kvmtune.hostprep.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import org.junit.jupiter.api.Test;

class CpuMasksTest {

    @Test
    void parsesCommaSeparated32BitGroupsMostSignificantFirst() {
        assertThat(CpuMasks.parse("00000003")).isEqualTo(CpuSet.of(0, 1));
        assertThat(CpuMasks.parse("ff,ffffffff")).isEqualTo(CpuSet.range(0, 39));
        assertThat(CpuMasks.parse("1,00000000")).isEqualTo(CpuSet.of(32));
        assertThat(CpuMasks.parse("0")).isEqualTo(CpuSet.empty());
    }

    @Test
    void formatsAsTheKernelAcceptsOnWriteAndRoundTrips() {
        assertThat(CpuMasks.format(CpuSet.of(0, 1))).isEqualTo("3");
        assertThat(CpuMasks.format(CpuSet.of(32))).isEqualTo("1,00000000");
        assertThat(CpuMasks.format(CpuSet.range(0, 71))).isEqualTo("ff,ffffffff,ffffffff");
        assertThat(CpuMasks.format(CpuSet.empty())).isEqualTo("0");
        CpuSet odd = CpuSet.parse("1,3,33-40,95,130");
        assertThat(CpuMasks.parse(CpuMasks.format(odd))).isEqualTo(odd);
    }

    @Test
    void rejectsAGroupThatIsNotHexOrTooWide() {
        assertThatThrownBy(() -> CpuMasks.parse("0x3g")).isInstanceOf(InvalidInputException.class).hasMessageContaining("3g");
        assertThatThrownBy(() -> CpuMasks.parse("123456789")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> CpuMasks.parse("3,,1")).isInstanceOf(InvalidInputException.class);
    }
}
