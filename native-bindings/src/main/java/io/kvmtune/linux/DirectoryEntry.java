package io.kvmtune.linux;

/**
 * One entry of a directory as {@code getdents64} gives it: the name, and the type the file
 * system stored beside it ({@code d_type}), which saves a {@code stat} per entry.
 *
 * @param name the entry's name, never {@code .} or {@code ..}
 * @param type what it is, or {@link Type#UNKNOWN} where the file system does not say
 */
public record DirectoryEntry(String name, Type type) {

    /** {@code d_type}, as far as kvmtune asks it. */
    public enum Type {
        DIRECTORY,
        OTHER,
        /** {@code DT_UNKNOWN}: the file system does not fill in the type; a {@code stat} tells. */
        UNKNOWN
    }
}
