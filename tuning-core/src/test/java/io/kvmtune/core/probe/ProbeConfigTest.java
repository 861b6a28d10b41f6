package io.kvmtune.core.probe;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeConfigTest {

    @Test
    void rejectsEachBadArgumentNamingIt() {
        CpuSet one = CpuSet.of(0);
        assertThatThrownBy(() -> new ProbeConfig(CpuSet.empty(), 80, 200, 10, null, 100, true, false))
                .isInstanceOf(InvalidInputException.class).hasFieldOrPropertyWithValue("key", "--cpus");
        assertThatThrownBy(() -> new ProbeConfig(one, 100, 200, 10, null, 100, true, false))
                .isInstanceOf(InvalidInputException.class).hasFieldOrPropertyWithValue("key", "--priority");
        assertThatThrownBy(() -> new ProbeConfig(one, 80, 5, 10, null, 100, true, false))
                .isInstanceOf(InvalidInputException.class).hasFieldOrPropertyWithValue("key", "--interval");
        assertThatThrownBy(() -> new ProbeConfig(one, 80, 200, 0, Duration.ZERO, 100, true, false))
                .isInstanceOf(InvalidInputException.class).hasFieldOrPropertyWithValue("key", "--duration");
        assertThatThrownBy(() -> new ProbeConfig(one, 80, 200, -1, null, 100, true, false))
                .isInstanceOf(InvalidInputException.class).hasFieldOrPropertyWithValue("key", "--loops");
        assertThatThrownBy(() -> new ProbeConfig(one, 80, 200, 10, null, 0, true, false))
                .isInstanceOf(InvalidInputException.class).hasFieldOrPropertyWithValue("key", "--histogram-max");
    }
}
