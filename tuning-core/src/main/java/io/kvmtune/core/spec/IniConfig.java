package io.kvmtune.core.spec;

import io.kvmtune.core.InvalidInputException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A configuration file in nova.conf syntax, read as oslo.config's INI parser reads it.
 *
 * <ul>
 *   <li>{@code [section]} starts a section; a section may appear more than once.</li>
 *   <li>{@code key = value} or {@code key: value} (whichever separator comes first); the value is
 *       trimmed and one pair of matching surrounding quotes is removed.</li>
 *   <li>A line starting with {@code #} or {@code ;} in the first column is a comment; there are no
 *       comments at the end of a value line.</li>
 *   <li>A line starting with a blank continues the previous value (joined with a newline); a
 *       blank line or a comment ends it.</li>
 *   <li>A key set again later wins.</li>
 * </ul>
 * oslo's {@code $option} substitution is not supported: the options kvmtune reads never use it.
 */
public final class IniConfig {

    private final String source;
    private final Map<String, Map<String, Entry>> sections;

    /** A value and the line it was set on, so errors can point at the file. */
    private record Entry(String value, int line) {
    }

    private IniConfig(String source, Map<String, Map<String, Entry>> sections) {
        this.source = source;
        this.sections = sections;
    }

    /** A configuration with no settings: kvmtune's built-in defaults. */
    public static IniConfig empty() {
        return new IniConfig("(built-in defaults)", Map.of());
    }

    /**
     * Parses {@code text}.
     *
     * @param source the file name, for error messages
     * @throws InvalidInputException {@code InvalidConfiguration} naming the file and line of a
     *     line that is none of the above
     */
    public static IniConfig parse(String text, String source) {
        Map<String, Map<String, Entry>> sections = new HashMap<>();
        String section = null;
        String key = null;
        StringBuilder value = null;
        int keyLine = 0;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].stripTrailing();
            if (line.isEmpty() || (!line.startsWith(" ") && !line.startsWith("\t"))) {
                if (key != null) {
                    sections.computeIfAbsent(section, s -> new HashMap<>()).put(key, new Entry(value.toString(), keyLine));
                    key = null;
                }
                if (line.isEmpty()) {
                    continue;
                }
            } else {
                if (key == null) {
                    throw error(source, lineNo, line, "an indented line continues a value, but no key precedes it");
                }
                value.append('\n').append(line.strip());
                continue;
            }
            char first = line.charAt(0);
            if (first == '#' || first == ';') {
                continue;
            }
            if (first == '[') {
                if (!line.endsWith("]") || line.length() <= 2) {
                    throw error(source, lineNo, line, "a section header is [name]");
                }
                section = line.substring(1, line.length() - 1);
                continue;
            }
            int colon = line.indexOf(':');
            int equal = line.indexOf('=');
            int split = colon < 0 ? equal : equal < 0 ? colon : Math.min(colon, equal);
            if (split < 0) {
                throw error(source, lineNo, line, "a setting is key = value");
            }
            key = line.substring(0, split).strip();
            if (key.isEmpty()) {
                throw error(source, lineNo, line, "the key is empty");
            }
            if (section == null) {
                throw error(source, lineNo, line, "a setting outside any [section]");
            }
            String v = line.substring(split + 1).strip();
            if (!v.isEmpty() && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
                v = v.length() == 1 ? "" : v.substring(1, v.length() - 1);
            }
            value = new StringBuilder(v);
            keyLine = lineNo;
        }
        if (key != null) {
            sections.computeIfAbsent(section, s -> new HashMap<>()).put(key, new Entry(value.toString(), keyLine));
        }
        return new IniConfig(source, sections);
    }

    private static InvalidInputException error(String source, int lineNo, String line, String why) {
        return new InvalidInputException("InvalidConfiguration", source + ":" + lineNo, line,
                source + " line " + lineNo + ": " + why + ": '" + line + "'");
    }

    /** The value of {@code [section] key}, if set. */
    public Optional<String> get(String section, String key) {
        Entry e = sections.getOrDefault(section, Map.of()).get(key);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    /** True when {@code [section]} sets at least one key. */
    public boolean sets(String section) {
        return !sections.getOrDefault(section, Map.of()).isEmpty();
    }

    /** Where {@code [section] key} is set ({@code file:line}), or the file name when it is not. */
    public String where(String section, String key) {
        Entry e = sections.getOrDefault(section, Map.of()).get(key);
        return e == null ? source : source + ":" + e.line();
    }

    /** The file this was read from, for messages. */
    public String source() {
        return source;
    }
}
