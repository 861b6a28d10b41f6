package io.kvmtune.core.spec;

import io.kvmtune.core.InvalidInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A guest's memory page request, as Nova's {@code _get_numa_pagesize_constraint} reads
 * {@code hw:mem_page_size} / {@code hw_mem_page_size}: one of the aliases, or a size.
 *
 * <p>A size of plain digits is KiB ({@code 2048}); otherwise it is read as oslo's
 * {@code string_to_bytes} reads IEC units (a number, an optional {@code K M G T} with optional
 * {@code i}, then {@code B}, {@code b} or {@code bit}, powers of 1024, bits divided by 8, bytes
 * rounded up): {@code 2MB} and {@code 2MiB} are 2048 KiB, {@code 2Mb} is 256 KiB; {@code 2M} or
 * {@code 2kB} are {@code MemoryPageSizeInvalid}, as in Nova, though its flavor API pattern lets
 * them through.
 *
 * @param kind an alias, or {@link Kind#SIZE}
 * @param kib for {@link Kind#SIZE}: the size in KiB; -1 for a size that is no whole number of KiB
 *     (such as {@code 512B}), which no host page has
 * @param value the value as written
 */
public record MemPageSize(Kind kind, long kib, String value) {

    /** Nova's {@code MEMPAGES_SMALL}, {@code MEMPAGES_LARGE}, {@code MEMPAGES_ANY}, or a size. */
    public enum Kind {
        /** The host's smallest (base) page size. */
        SMALL,
        /** Any page size but the smallest, the largest that fits first. */
        LARGE,
        /** Any page size, the largest that fits first. */
        ANY,
        /** Exactly {@link MemPageSize#kib()}. */
        SIZE
    }

    private static final BigInteger MAX_KIB = BigInteger.valueOf(Long.MAX_VALUE);

    /**
     * Reads {@code value} of {@code key}.
     *
     * @return the request, or null for a size of zero, which Nova reads as no page size at all
     * @throws InvalidInputException {@code MemoryPageSizeInvalid} for a value that is neither an
     *     alias nor a size; a negative size too (Nova turns {@code -1KB} into {@code small} and
     *     other negative sizes into sizes no host has: kvmtune refuses them instead)
     */
    public static MemPageSize parse(String key, String value) {
        switch (value) {
            case "small" -> {
                return new MemPageSize(Kind.SMALL, 0, value);
            }
            case "large" -> {
                return new MemPageSize(Kind.LARGE, 0, value);
            }
            case "any" -> {
                return new MemPageSize(Kind.ANY, 0, value);
            }
            default -> {
                // the flavor's and the image's values both reach here
            }
        }
        BigDecimal kib = !value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')
                ? new BigDecimal(value)
                : bytes(key, value).divide(BigDecimal.valueOf(1024));
        if (kib.signum() < 0) {
            throw invalid(key, value, "a page size cannot be negative");
        }
        if (kib.signum() == 0) {
            return null;
        }
        BigInteger whole;
        try {
            whole = kib.toBigIntegerExact();
        } catch (ArithmeticException notWhole) {
            return new MemPageSize(Kind.SIZE, -1, value);
        }
        return new MemPageSize(Kind.SIZE, whole.compareTo(MAX_KIB) > 0 ? -1 : whole.longValueExact(), value);
    }

    /** oslo's {@code string_to_bytes(value, 'IEC', return_int=True)}. */
    private static BigDecimal bytes(String key, String value) {
        int i = 0;
        int n = value.length();
        if (i < n && (value.charAt(i) == '+' || value.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        while (i < n && (value.charAt(i) >= '0' && value.charAt(i) <= '9' || value.charAt(i) == '.')) {
            i++;
        }
        String number = value.substring(0, i);
        // \d*\.?\d+ : at most one dot, and a digit after it
        int dot = number.indexOf('.');
        boolean numberOk = i > digits && !number.endsWith(".") && (dot < 0 || dot == number.lastIndexOf('.'));
        int exponent = 0;
        if (i < n && "KMGT".indexOf(value.charAt(i)) >= 0) {
            exponent = "KMGT".indexOf(value.charAt(i)) + 1;
            i++;
            if (i < n && value.charAt(i) == 'i') {
                i++;
            }
        }
        String unit = value.substring(i);
        if (!numberOk || !(unit.equals("B") || unit.equals("b") || unit.equals("bit"))) {
            throw invalid(key, value, "use small, large, any, a number of KiB (2048) or a size with a unit"
                    + " ending in B, b or bit (2MB, 1GiB)");
        }
        BigDecimal magnitude = new BigDecimal(number.startsWith("+") ? number.substring(1) : number);
        if (!unit.equals("B")) {
            magnitude = magnitude.divide(BigDecimal.valueOf(8));
        }
        return magnitude.multiply(BigDecimal.valueOf(1024).pow(exponent)).setScale(0, RoundingMode.CEILING);
    }

    private static InvalidInputException invalid(String key, String value, String why) {
        return new InvalidInputException("MemoryPageSizeInvalid", key, value,
                "Invalid memory page size '" + value + "' (" + key + "): " + why);
    }

    /** {@code 2048 KiB}, {@code small}, ... for reasons. */
    public String label() {
        if (kind != Kind.SIZE) {
            return value;
        }
        if (value.equals(Long.toString(kib))) {
            return value + " KiB";
        }
        return kib > 0 ? value + " (" + kib + " KiB)" : value;
    }
}
