package io.kvmtune.core.spec;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The traits a flavor requires through {@code trait:NAME=required} extra specs, also in granular
 * groups ({@code trait1:}, {@code trait_NAME:}), as Nova's {@code get_flags_by_flavor_specs}
 * collects them.
 */
public final class FlavorTraits {

    private FlavorTraits() {
    }

    /** The required trait names ({@code HW_CPU_X86_AVX2}, ...), sorted. */
    public static Set<String> required(Map<String, String> flavorExtraSpecs) {
        Set<String> out = new TreeSet<>();
        flavorExtraSpecs.forEach((key, value) -> {
            int colon = key.indexOf(':');
            if (colon >= 0 && "required".equals(value) && isTraitPrefix(key.substring(0, colon))) {
                out.add(key.substring(colon + 1));
            }
        });
        return out;
    }

    /** {@code trait}, {@code traitN} or {@code trait_GROUP}: the unsuffixed and granular forms. */
    private static boolean isTraitPrefix(String prefix) {
        if (!prefix.startsWith("trait")) {
            return false;
        }
        String suffix = prefix.substring("trait".length());
        if (suffix.isEmpty() || suffix.chars().allMatch(Character::isDigit)) {
            return true;
        }
        return suffix.length() > 1 && suffix.charAt(0) == '_'
                && suffix.substring(1).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-');
    }
}
