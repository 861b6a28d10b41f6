package io.kvmtune.cli;

import static io.kvmtune.cli.CommandRun.kvmtune;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code kvmtune probe}'s arguments: what it refuses, before any thread is started. */
class ProbeCommandTest {

    @Test
    void durationsTakeCyclictestsUnitsAndPlainSeconds() {
        assertThat(ProbeCommand.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ProbeCommand.parseDuration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ProbeCommand.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ProbeCommand.parseDuration("5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ProbeCommand.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(ProbeCommand.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aDurationWithoutNumberWithAnUnknownUnitOrZeroIsRefusedNamingTheOption() {
        for (String bad : new String[] {"", "s", "3x", "1.5s", "0s", "-1s", "9999999999s"}) {
            assertThatThrownBy(() -> ProbeCommand.parseDuration(bad)).as(bad)
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.key()).isEqualTo("--duration"));
        }
    }

    @Test
    void aPriorityOutsideFifosRangeIsExitTwoNamingTheOption() {
        JsonObject e = error(kvmtune("probe", "--priority", "0", "--loops", "1", "--format", "json"), 2);
        assertThat(e.string("key")).isEqualTo("--priority");
        assertThat(e.string("value")).isEqualTo("0");
    }

    @Test
    void aBadCpuSpecIsExitTwoNamingTheOption() {
        JsonObject e = error(kvmtune("probe", "--cpus", "1-x", "--loops", "1", "--format", "json"), 2);
        assertThat(e.string("key")).isEqualTo("--cpus");
    }

    @Test
    void loopsAndDurationExcludeEachOtherAndLoopsMustBePositive() {
        assertThat(kvmtune("probe", "--loops", "5", "--duration", "1s").status()).isEqualTo(2);
        JsonObject e = error(kvmtune("probe", "--loops", "0", "--format", "json"), 2);
        assertThat(e.string("key")).isEqualTo("--loops");
    }

    @Test
    void anIntervalOutsideTheProbesRangeIsExitTwo() {
        JsonObject e = error(kvmtune("probe", "--interval", "5", "--loops", "1", "--format", "json"), 2);
        assertThat(e.string("key")).isEqualTo("--interval");
    }

    private static JsonObject error(CommandRun run, int status) {
        assertThat(run.status()).as(run.err()).isEqualTo(status);
        return Json.parseObject(run.out()).object("error");
    }
}
