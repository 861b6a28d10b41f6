package io.kvmtune.hostprep.tune;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValueFormatTest {

    @Test
    void cpuValuesCompareAsSetsNotStrings() {
        assertThat(ValueFormat.CPU_MASK.same("00000003", "3")).isTrue();
        assertThat(ValueFormat.CPU_LIST.same("0,1,2", "0-2")).isTrue();
        assertThat(ValueFormat.CPU_LIST.same("0-2", "0-3")).isFalse();
    }

    @Test
    void aChoiceFileIsRecordedAsItsSelectedWord() {
        assertThat(ValueFormat.SELECTED_WORD.normalize("always [madvise] never")).isEqualTo("madvise");
        assertThat(ValueFormat.SELECTED_WORD.same("always madvise [never]", "never")).isTrue();
    }

    @Test
    void controllersAreWrittenAsDeltas() {
        assertThat(ValueFormat.CONTROLLERS.toWrite("memory pids", "cpuset memory pids")).isEqualTo("+cpuset");
        assertThat(ValueFormat.CONTROLLERS.toWrite("cpuset memory pids", "memory pids")).isEqualTo("-cpuset");
        assertThat(ValueFormat.CONTROLLERS.same("pids memory", "memory pids")).isTrue();
    }

    @Test
    void labelsRoundTrip() {
        for (ValueFormat f : ValueFormat.values()) {
            assertThat(ValueFormat.ofLabel(f.label())).isEqualTo(f);
        }
    }
}
