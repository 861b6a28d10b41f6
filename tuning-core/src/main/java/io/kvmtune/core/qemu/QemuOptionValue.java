package io.kvmtune.core.qemu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The value of one QEMU command-line option in QEMU's {@code key=value,key=value} syntax, where
 * {@code ,,} stands for a literal comma and the first item may omit its key ({@code -machine q35}
 * means {@code type=q35}). Items without {@code =} after the first are boolean switches.
 *
 * @param implied the first item when it has no {@code =}, else empty
 * @param items every other item, in order; a switch maps to {@code "on"}
 */
record QemuOptionValue(Optional<String> implied, Map<String, String> items) {

    static QemuOptionValue parse(String text) {
        List<String> parts = split(text);
        Optional<String> implied = Optional.empty();
        Map<String, String> items = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            int eq = part.indexOf('=');
            if (eq >= 0) {
                items.put(part.substring(0, eq), part.substring(eq + 1));
            } else if (i == 0) {
                implied = Optional.of(part);
            } else if (!part.isEmpty()) {
                items.put(part, "on");
            }
        }
        return new QemuOptionValue(implied, items);
    }

    /** The items in order, unsplit: {@code -cpu host,+pcid,pmu=off} keeps {@code +pcid} and {@code pmu=off}. */
    static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ',') {
                current.append(c);
            } else if (i + 1 < text.length() && text.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else {
                parts.add(current.toString());
                current.setLength(0);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    /** The value of {@code key}, or the implied first item when {@code key} is the option's implied key. */
    Optional<String> get(String key, String impliedKey) {
        String explicit = items.get(key);
        if (explicit != null) {
            return Optional.of(explicit);
        }
        return key.equals(impliedKey) ? implied : Optional.empty();
    }

    /** QEMU's boolean spellings ({@code on/off}, {@code yes/no}, {@code true/false}, {@code y/n}); empty for anything else. */
    static Optional<Boolean> bool(String value) {
        return switch (value) {
            case "on", "yes", "true", "y" -> Optional.of(true);
            case "off", "no", "false", "n" -> Optional.of(false);
            default -> Optional.empty();
        };
    }
}
