package io.kvmtune.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** How measured numbers are printed in the reports: enough digits to compare, no false precision. */
public final class Figures {

    private static final MathContext FOUR_DIGITS = new MathContext(4, RoundingMode.HALF_EVEN);

    private Figures() {
    }

    /**
     * Four significant digits below 1000 ({@code 9.812}, {@code 123.4}, {@code 0.01234}), whole
     * numbers above ({@code 35463}); {@code n/a} for NaN, which JMH reports for an error it could
     * not compute.
     */
    public static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (Math.abs(value) >= 1000) {
            return Long.toString(Math.round(value));
        }
        if (value == 0) {
            return "0";
        }
        return new BigDecimal(value).round(FOUR_DIGITS).stripTrailingZeros().toPlainString();
    }

    /** A ratio such as {@code 1.42x}, or {@code n/a} when the baseline is missing or zero. */
    public static String ratio(double value, double baseline) {
        if (Double.isNaN(value) || Double.isNaN(baseline) || baseline == 0) {
            return "n/a";
        }
        return new BigDecimal(value / baseline).round(new MathContext(3, RoundingMode.HALF_EVEN))
                .stripTrailingZeros().toPlainString() + "x";
    }
}
