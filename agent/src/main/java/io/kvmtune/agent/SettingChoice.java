package io.kvmtune.agent;

import io.kvmtune.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/** A setting of the {@code [agent]} section whose value names one of an enum's constants, in lower case. */
final class SettingChoice {

    private SettingChoice() {
    }

    /** {@code choice}'s name in lower case, as the configuration writes it. */
    static String label(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant of {@code type} that {@code value} names, in any case.
     *
     * @throws InvalidInputException (key {@code [agent] KEY}) naming the values allowed, for another value
     */
    static <E extends Enum<E>> E of(Class<E> type, String key, String value) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        for (E choice : type.getEnumConstants()) {
            if (label(choice).equals(wanted)) {
                return choice;
            }
        }
        throw InvalidInputException.invalid("[" + AgentSettings.SECTION + "] " + key, value, "must be "
                + String.join(" or ", Arrays.stream(type.getEnumConstants()).map(SettingChoice::label).toList()));
    }
}
