package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchedAttrTest {

    @Test
    void factoriesSetOnlyTheFieldsTheirPolicyUses() {
        assertThat(SchedAttr.fifo(80)).isEqualTo(new SchedAttr(SchedPolicy.FIFO, 0, 0, 80, 0, 0, 0, 0, 0));
        assertThat(SchedAttr.rr(1)).isEqualTo(new SchedAttr(SchedPolicy.RR, 0, 0, 1, 0, 0, 0, 0, 0));
        assertThat(SchedAttr.other(-5)).isEqualTo(new SchedAttr(SchedPolicy.OTHER, 0, -5, 0, 0, 0, 0, 0, 0));
        assertThat(SchedAttr.batch(19)).isEqualTo(new SchedAttr(SchedPolicy.BATCH, 0, 19, 0, 0, 0, 0, 0, 0));
        assertThat(SchedAttr.idle().policy()).isEqualTo(SchedPolicy.IDLE);
        assertThat(SchedAttr.deadline(1_000, 5_000, 10_000))
                .isEqualTo(new SchedAttr(SchedPolicy.DEADLINE, 0, 0, 0, 1_000, 5_000, 10_000, 0, 0));
    }

    @Test
    void withFlagsReplacesOnlyTheFlags() {
        SchedAttr attr = SchedAttr.fifo(10).withFlags(SchedFlag.RESET_ON_FORK | SchedFlag.KEEP_PARAMS);
        assertThat(attr.flags()).isEqualTo(0x11);
        assertThat(attr.withFlags(0)).isEqualTo(SchedAttr.fifo(10));
        assertThat(SchedFlag.ALL).isEqualTo(0x7f);
    }
}
