package io.kvmtune.core.spec;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;

/**
 * The vCPU masks {@code hw:cpu_realtime_mask}, {@code hw_cpu_realtime_mask} and
 * {@code hw:cpu_dedicated_mask}, evaluated as Nova's {@code get_realtime_cpu_constraint} and
 * {@code get_dedicated_cpu_constraint} do (Nova 22.0.0+).
 *
 * <p>A mask whose first non-blank character is {@code ^} is an exclusion list over all vCPUs: it
 * reads as if {@code 0-(N-1),} were written in front of it, so {@code ^0-1} on 4 vCPUs is
 * {@code 2-3}. Any other mask is the literal set. Range checks against the vCPU count are the
 * caller's, because each mask has its own exception for them.
 */
public final class VcpuMask {

    private VcpuMask() {
    }

    /**
     * Evaluates {@code mask} (read from {@code key}) for a guest with {@code vcpus} vCPUs.
     *
     * @throws InvalidInputException {@code Invalid} naming {@code key} and the bad element when
     *     the mask is not a cpu spec
     */
    public static CpuSet evaluate(String key, String mask, int vcpus) {
        CpuSet literal = CpuSet.parse(mask, key);
        if (!mask.stripLeading().startsWith("^")) {
            return literal;
        }
        // The mask alone parsed, so the mask behind a valid range parses too; parsing the
        // combination is what applies the mask's exclusions after the implicit inclusion.
        return CpuSet.parse("0-" + (vcpus - 1) + "," + mask);
    }

    /**
     * Nova's API validator pattern for the masks in flavor extra specs:
     * {@code ^?\d+((-\d+)?(,\^?\d+(-\d+)?)?)*} as a full match, that is comma-separated items of
     * an optional caret, digits, and any number of {@code -digits}. No blanks, no empty items. Like
     * {@code parse_cpu_spec} it lets {@code 0-1-2} through, which the evaluation then rejects; unlike
     * Python's {@code \d}, only ASCII digits count.
     *
     * @throws InvalidInputException {@code ValidationError} naming {@code key}
     */
    public static void checkApiPattern(String key, String mask) {
        int i = 0;
        int n = mask.length();
        boolean ok = n > 0;
        while (ok) {
            if (i < n && mask.charAt(i) == '^') {
                i++;
            }
            int digitsFrom = i;
            i = skipDigits(mask, i);
            ok = i > digitsFrom;
            while (ok && i < n && mask.charAt(i) == '-') {
                int from = ++i;
                i = skipDigits(mask, i);
                ok = i > from;
            }
            if (!ok || i == n) {
                break;
            }
            ok = mask.charAt(i++) == ',';
        }
        if (!ok) {
            throw new InvalidInputException("ValidationError", key, mask, key + "=" + mask
                    + " does not match the mask syntax: comma-separated vCPU numbers or ranges, each"
                    + " optionally prefixed by ^ to exclude, without blanks or empty items (e.g. ^0-1 or 2-3)");
        }
    }

    private static int skipDigits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
