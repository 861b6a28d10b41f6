package io.kvmtune.core.spec;

import io.kvmtune.core.InvalidInputException;
import java.util.Locale;
import java.util.Set;

/**
 * Guest and host architecture names as Nova canonicalises them ({@code nova.objects.fields.Architecture}):
 * lower case, the 32-bit x86 aliases folded into {@code i686} and {@code amd64} into {@code x86_64};
 * any other unknown name is rejected as Nova rejects it when it loads image metadata.
 */
public final class Architecture {

    public static final String X86_64 = "x86_64";
    public static final String I686 = "i686";

    private static final Set<String> KNOWN = Set.of(
            "alpha", "armv6", "armv7l", "armv7b", "aarch64", "cris", I686, "ia64", "lm32", "m68k",
            "microblaze", "microblazeel", "mips", "mipsel", "mips64", "mips64el", "openrisc",
            "parisc", "parisc64", "ppc", "ppcle", "ppc64", "ppc64le", "ppcemb",
            "s390", "s390x", "sh4", "sh4eb", "sparc", "sparc64", "unicore32", X86_64, "xtensa", "xtensaeb");

    private Architecture() {
    }

    /**
     * The canonical name of {@code name}, read from {@code key}.
     *
     * @throws InvalidInputException {@code InvalidArchitectureName} for an unknown name
     */
    public static String canonicalize(String key, String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        String canonical = switch (lower) {
            case "i386", "i486", "i586", "x86_32", "x86_32p" -> I686;
            case "amd64" -> X86_64;
            default -> lower;
        };
        if (!KNOWN.contains(canonical)) {
            throw new InvalidInputException("InvalidArchitectureName", key, name,
                    key + "=" + name + " is not an architecture Nova knows (for example x86_64, i686, aarch64, ppc64le, s390x)");
        }
        return canonical;
    }

    /** True for the architectures that have an HPET: Nova writes the hpet timer only for these. */
    public static boolean isX86(String canonical) {
        return canonical.equals(X86_64) || canonical.equals(I686);
    }
}
