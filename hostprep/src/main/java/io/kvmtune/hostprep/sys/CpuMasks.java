package io.kvmtune.hostprep.sys;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;

/**
 * The kernel's hexadecimal cpumask format ({@code /proc/irq/default_smp_affinity},
 * workqueue {@code cpumask}): 32-bit groups, most significant first, separated by commas, such
 * as {@code ff,ffffffff}. Lists ({@code 0-3,8}) are {@link CpuSet#parse}'s business.
 */
public final class CpuMasks {

    private CpuMasks() {
    }

    /**
     * Parses a hex mask; leading zeros and an optional {@code 0x} are accepted.
     *
     * @throws InvalidInputException naming the mask when a group is not hexadecimal or too wide
     */
    public static CpuSet parse(String mask) {
        String text = mask.strip();
        if (text.startsWith("0x") || text.startsWith("0X")) {
            text = text.substring(2);
        }
        String[] groups = text.split(",", -1);
        CpuSet set = CpuSet.empty();
        for (int g = 0; g < groups.length; g++) {
            String group = groups[g].strip();
            if (group.isEmpty() || group.length() > 8) {
                throw InvalidInputException.invalid(null, mask,
                        "cpumask '" + mask + "' has a group '" + group + "' that is not 1 to 8 hex digits");
            }
            long bits;
            try {
                bits = Long.parseLong(group, 16);
            } catch (NumberFormatException e) {
                throw InvalidInputException.invalid(null, mask,
                        "cpumask '" + mask + "' has a group '" + group + "' that is not hexadecimal");
            }
            int base = (groups.length - 1 - g) * 32;
            for (int bit = 0; bit < 32; bit++) {
                if ((bits & (1L << bit)) != 0) {
                    set = set.with(base + bit);
                }
            }
        }
        return set;
    }

    /**
     * Formats as the kernel accepts it on write: the significant 32-bit groups, the first
     * without leading zeros, the others eight digits wide; the empty set is {@code 0}.
     */
    public static String format(CpuSet cpus) {
        if (cpus.isEmpty()) {
            return "0";
        }
        int groups = cpus.last() / 32 + 1;
        long[] words = cpus.toMask(0);
        StringBuilder out = new StringBuilder(groups * 9);
        for (int g = groups - 1; g >= 0; g--) {
            long group = (words[g / 2] >>> ((g % 2) * 32)) & 0xffff_ffffL;
            if (out.isEmpty()) {
                out.append(Long.toHexString(group));
            } else {
                out.append(',').append(String.format("%08x", group));
            }
        }
        return out.toString();
    }
}
