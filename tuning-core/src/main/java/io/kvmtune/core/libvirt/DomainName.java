package io.kvmtune.core.libvirt;

import io.kvmtune.core.InvalidInputException;
import java.nio.file.Path;

/**
 * Guards the one place where a libvirt domain name becomes part of a file path
 * ({@code /run/libvirt/qemu/NAME.xml}, {@code NAME.pid}). Hook arguments and domain XML come from
 * outside; a name such as {@code ../../etc/x} must never reach the file system.
 */
public final class DomainName {

    private DomainName() {
    }

    /**
     * Returns {@code name} when it is safe as a single path component.
     *
     * @throws InvalidInputException ({@code InvalidDomainName}) for an empty name, or one holding
     *     {@code /}, {@code ..} or a control character
     */
    public static String requireSafe(String name) {
        String why = null;
        if (name.isEmpty()) {
            why = "it is empty";
        } else if (name.indexOf('/') >= 0) {
            why = "it contains '/'";
        } else if (name.contains("..")) {
            why = "it contains '..'";
        } else if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            why = "it contains a control character";
        }
        if (why != null) {
            throw new InvalidInputException("InvalidDomainName", "domain", printable(name),
                    "domain name '" + printable(name) + "' is refused: " + why);
        }
        return name;
    }

    /**
     * {@code dir/NAME + suffix} for a safe name, checked to stay directly inside {@code dir}.
     *
     * @throws InvalidInputException as {@link #requireSafe}
     */
    public static Path fileIn(Path dir, String name, String suffix) {
        Path file = dir.resolve(requireSafe(name) + suffix);
        if (!dir.equals(file.getParent())) {
            throw new InvalidInputException("InvalidDomainName", "domain", printable(name),
                    "domain name '" + printable(name) + "' is refused: it does not name a file in " + dir);
        }
        return file;
    }

    /** The name with control characters escaped, safe to echo in a one-line error. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.chars().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
