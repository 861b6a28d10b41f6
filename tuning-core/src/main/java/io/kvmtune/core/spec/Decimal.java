package io.kvmtune.core.spec;

/** Strict decimal integers for settings: ASCII digits only, no sign, no blanks, no underscores. */
final class Decimal {

    private Decimal() {
    }

    /** The value of {@code s}, or -1 when it is not a decimal number or exceeds {@code max}. */
    static long parse(String s, long max) {
        if (s.isEmpty()) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
            if (n > max) {
                return -1;
            }
        }
        return n;
    }
}
