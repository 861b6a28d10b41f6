package io.kvmtune.core.qemu;

import io.kvmtune.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A libvirt domain name that is safe to use as one file name component: libvirt's state files
 * are named after the domain ({@code /run/libvirt/qemu/NAME.xml}), so a name is checked here
 * before it can reach any path.
 *
 * @param value the name as libvirt knows it
 */
public record DomainName(String value) {

    /** NAME_MAX (255) less the longest suffix kvmtune appends ({@code .xml}). */
    private static final int MAX_BYTES = 251;

    /**
     * @throws InvalidInputException ({@code Invalid}, key {@code domain}) for an empty name, or
     *     one with {@code /}, {@code ..}, a control character, or more than 251 UTF-8 bytes
     */
    public DomainName {
        String problem = problem(value);
        if (problem != null) {
            throw InvalidInputException.invalid("domain", value, "domain name " + problem);
        }
    }

    private static String problem(String value) {
        if (value.isEmpty()) {
            return "is empty";
        }
        if (value.indexOf('/') >= 0) {
            return "contains '/'";
        }
        if (value.contains("..")) {
            return "contains '..'";
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "contains a control character";
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "is longer than " + MAX_BYTES + " bytes";
        }
        return null;
    }

    /** {@code directory/NAME.suffix}. */
    public Path file(Path directory, String suffix) {
        return directory.resolve(value + suffix);
    }

    @Override
    public String toString() {
        return value;
    }
}
