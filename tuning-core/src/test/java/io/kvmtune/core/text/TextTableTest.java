package io.kvmtune.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columnsAreLeftAlignedTwoSpacesApartAndNullPrintsAsDash() {
        String table = new TextTable("TID", "ROLE", "CGROUP").row(4711, "vcpu0", null).row(12, "emulator", "/x").render();
        assertThat(table).isEqualTo("""
                TID   ROLE      CGROUP
                4711  vcpu0     -
                12    emulator  /x
                """);
    }

    @Test
    void anEmptyLastCellLeavesNoSpacesAtTheEndOfItsLine() {
        String table = new TextTable("SETTING", "BEFORE", "AFTER").row("kernel.timer_migration", "1", "").render();
        assertThat(table.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
        assertThat(table.lines().toList().get(1)).isEqualTo("kernel.timer_migration  1");
    }
}
