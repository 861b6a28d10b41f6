package io.kvmtune.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void keepsFourSignificantDigitsBelowAThousandAndWholeNumbersAbove() {
        assertThat(Figures.format(9.8123)).isEqualTo("9.812");
        assertThat(Figures.format(123.456)).isEqualTo("123.5");
        assertThat(Figures.format(0.0123456)).isEqualTo("0.01235");
        assertThat(Figures.format(800.0)).isEqualTo("800");
        assertThat(Figures.format(35463.4)).isEqualTo("35463");
        assertThat(Figures.format(0)).isEqualTo("0");
        assertThat(Figures.format(Double.NaN)).isEqualTo("n/a");
    }

    @Test
    void ratiosHaveThreeSignificantDigitsAndNoneWithoutABaseline() {
        assertThat(Figures.ratio(3, 2)).isEqualTo("1.5x");
        assertThat(Figures.ratio(10, 3)).isEqualTo("3.33x");
        assertThat(Figures.ratio(20, 2)).isEqualTo("10x");
        assertThat(Figures.ratio(1, 0)).isEqualTo("n/a");
        assertThat(Figures.ratio(1, Double.NaN)).isEqualTo("n/a");
    }
}
