package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResourceLimitTest {

    @Test
    void infinityIsTheLargestValueAndPrintsAsUnlimited() {
        ResourceLimit limit = new ResourceLimit(1024, ResourceLimit.INFINITY);
        assertThat(limit.softUnlimited()).isFalse();
        assertThat(limit.hardUnlimited()).isTrue();
        assertThat(limit).hasToString("soft 1024, hard unlimited");
        assertThat(ResourceLimit.unlimited()).isEqualTo(new ResourceLimit(-1, -1));
        assertThat(ResourceLimit.of(5)).isEqualTo(new ResourceLimit(5, 5));
    }

    @Test
    void refusesNegativeAmountsAndSoftAboveHard() {
        assertThatThrownBy(() -> new ResourceLimit(-2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("soft limit must be >= 0 or INFINITY, got -2");
        assertThatThrownBy(() -> new ResourceLimit(ResourceLimit.INFINITY, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("soft limit unlimited exceeds hard limit 10");
    }
}
