package io.kvmtune.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.KvmtuneException;
import io.kvmtune.core.cpu.CpuSet;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random requests: whatever the parser accepts keeps the realtime invariants, and whatever
 * it rejects names the key at fault. Each seed is a test case that reproduces on its own.
 */
class RequestParserPropertyTest {

    static LongStream seeds() {
        return LongStream.range(0, 2000).map(i -> 0xC0FFEE00L + i);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void acceptedRequestsKeepTheInvariantsAndRejectedOnesNameTheKey(long seed) {
        RequestGenerator.Request g = RequestGenerator.next(new Random(seed));
        TuningRequest r;
        try {
            r = RequestParser.parse(g.flavor(), g.image(), g.vcpus(), "x86_64", "kvm");
        } catch (KvmtuneException e) {
            assertThat(e.key()).as("%s: %s", g, e.getMessage()).isNotBlank();
            assertThat(e.getMessage()).as("%s", g).contains(e.key());
            assertThat(e.code()).isNotBlank();
            return;
        }
        CpuSet all = CpuSet.firstN(g.vcpus());
        assertThat(all.containsAll(r.pinnedVcpus())).isTrue();
        assertThat(r.pinnedVcpus().isEmpty()).isEqualTo(r.cpuPolicy() == CpuPolicy.SHARED);
        r.realtimeVcpus().ifPresent(rt -> {
            assertThat(rt.isEmpty()).as("%s", g).isFalse();
            assertThat(r.pinnedVcpus().containsAll(rt)).isTrue();
            if (rt.equals(all)) {
                assertThat(r.emulatorThreadsPolicy()).as("all vCPUs realtime needs offloaded emulator threads: %s", g)
                        .isPresent();
            }
            assertThat(r.cpuPolicy()).isNotEqualTo(CpuPolicy.SHARED);
            assertThat(r.sources()).containsKeys(RequestSetting.REALTIME, RequestSetting.REALTIME_MASK);
        });
        assertThat(r.isRealtime()).isEqualTo(g.flavor().containsKey("hw:cpu_realtime")
                && NovaBoolean.recognise(g.flavor().get("hw:cpu_realtime")).orElseThrow());
        assertThat(r.sources()).containsKeys(RequestSetting.VCPUS, RequestSetting.CPU_POLICY, RequestSetting.HPET,
                RequestSetting.GUEST_ARCH);
        if (r.hpet()) {
            assertThat(Architecture.isX86(r.guestArch())).isTrue();
        }
        // Deterministic: the same input gives the same request.
        assertThat(RequestParser.parse(g.flavor(), g.image(), g.vcpus(), "x86_64", "kvm")).isEqualTo(r);
    }
}
