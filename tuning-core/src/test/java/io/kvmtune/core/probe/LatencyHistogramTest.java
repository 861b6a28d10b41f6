package io.kvmtune.core.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void keepsExactMinMaxAndMeanInNanoseconds() {
        LatencyHistogram h = new LatencyHistogram(100);
        h.record(1_500);
        h.record(2_500);
        h.record(9_000);
        assertThat(h.count()).isEqualTo(3);
        assertThat(h.minNanos()).isEqualTo(1_500);
        assertThat(h.maxNanos()).isEqualTo(9_000);
        assertThat(h.avgNanos()).isEqualTo(13_000 / 3.0);
    }

    @Test
    void bucketsAreOneMicrosecondWideAndLatenciesBeyondTheRangeOverflow() {
        LatencyHistogram h = new LatencyHistogram(10);
        h.record(999);
        h.record(1_000);
        h.record(9_999);
        h.record(10_000);
        assertThat(h.bucket(0)).isEqualTo(1);
        assertThat(h.bucket(1)).isEqualTo(1);
        assertThat(h.bucket(9)).isEqualTo(1);
        assertThat(h.overflows()).isEqualTo(1);
    }

    @Test
    void aWakeUpBeforeItsDeadlineCountsAsZeroLatency() {
        LatencyHistogram h = new LatencyHistogram(10);
        h.record(-300);
        assertThat(h.minNanos()).isZero();
        assertThat(h.bucket(0)).isEqualTo(1);
    }

    @Test
    void percentileIsTheUpperEdgeOfTheBucketHoldingTheRank() {
        LatencyHistogram h = new LatencyHistogram(100);
        for (int i = 0; i < 99; i++) {
            h.record(2_200); // bucket 2
        }
        h.record(40_100); // bucket 40
        assertThat(h.percentileMicros(0.50)).isEqualTo(3);
        assertThat(h.percentileMicros(0.99)).isEqualTo(3);
        assertThat(h.percentileMicros(0.9999)).isEqualTo(41);
    }

    @Test
    void percentilesAmongOverflowsReportTheExactMaximumRoundedUp() {
        LatencyHistogram h = new LatencyHistogram(5);
        h.record(1_000);
        h.record(70_400);
        assertThat(h.percentileMicros(1.0)).isEqualTo(71);
    }

    @Test
    void addingMergesEverySample() {
        LatencyHistogram a = new LatencyHistogram(10);
        LatencyHistogram b = new LatencyHistogram(10);
        a.record(1_000);
        b.record(5_000);
        b.record(20_000);
        a.add(b);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.maxNanos()).isEqualTo(20_000);
        assertThat(a.minNanos()).isEqualTo(1_000);
        assertThat(a.overflows()).isEqualTo(1);
        assertThatThrownBy(() -> a.add(new LatencyHistogram(11))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyHistogramReportsZeros() {
        LatencyHistogram h = new LatencyHistogram(10);
        assertThat(h.minNanos()).isZero();
        assertThat(h.maxNanos()).isZero();
        assertThat(h.percentileMicros(0.99)).isZero();
    }

    @Test
    void svgShowsBothScalesAndTheOverflowBar() {
        LatencyHistogram h = new LatencyHistogram(20);
        h.record(3_000);
        h.record(3_100);
        h.record(25_000);
        String svg = SvgHistogram.render(h, "probe <cpu 1>");
        assertThat(svg).startsWith("<svg").contains("linear scale").contains("log scale")
                .contains("probe &lt;cpu 1&gt;").contains("3 µs: 2").contains("≥ 20 µs: 1");
    }
}
