package io.kvmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.json.Json;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

class FailureTest {

    @Test
    void eachKindOfErrorHasItsExitCode() {
        assertThat(Failure.of(new InvalidInputException("RealtimeMaskNotFoundOrInvalid", "hw:cpu_realtime_mask", "^0-3",
                "no realtime vCPU left")).status().code()).isEqualTo(2);
        assertThat(Failure.of(new DoesNotFitException("vcpus", "8", "only 4 free")).status().code()).isEqualTo(5);
        assertThat(Failure.of(new MissingComponentException("NotQemu", "pid 1 is not QEMU")).status().code()).isEqualTo(4);
        assertThat(Failure.of(new UncheckedIOException("writing /run/kvmtune/claims.json",
                new AccessDeniedException("/run/kvmtune"))).code()).isEqualTo("PermissionDenied");
        Failure eperm = Failure.of(new io.kvmtune.linux.LinuxException("sched_setattr", "tid 4345", 1));
        assertThat(eperm.status().code()).isEqualTo(4);
        assertThat(eperm.code()).isEqualTo("PermissionDenied");
        assertThat(eperm.message()).contains("EPERM");
        assertThat(Failure.of(new NullPointerException("x")).status()).isEqualTo(ExitStatus.INTERNAL_ERROR);
    }

    @Test
    void theErrorLineAndJsonCarryNovasCodeKeyAndValue() {
        Failure f = Failure.of(new InvalidInputException("RealtimeMaskNotFoundOrInvalid", "hw:cpu_realtime_mask", "^0-3",
                "hw:cpu_realtime_mask: masks\nevery vCPU"));
        assertThat(f.line()).isEqualTo("kvmtune: RealtimeMaskNotFoundOrInvalid: hw:cpu_realtime_mask: masks every vCPU");
        assertThat(Json.parseObject(f.json()).object("error").fields()).containsExactly(
                java.util.Map.entry("code", "RealtimeMaskNotFoundOrInvalid"),
                java.util.Map.entry("key", "hw:cpu_realtime_mask"),
                java.util.Map.entry("value", "^0-3"),
                java.util.Map.entry("message", "hw:cpu_realtime_mask: masks every vCPU"));
    }
}
