package io.kvmtune.core.spec;

import io.kvmtune.core.InvalidInputException;
import java.util.Locale;
import java.util.Optional;

/**
 * Booleans as OpenStack writes them ({@code oslo_utils.strutils.bool_from_string}): after trimming
 * and ignoring case, {@code 1 t true on y yes} are true and {@code 0 f false off n no} are false.
 *
 * <p>Nova reads image booleans and {@code hw:cpu_realtime} leniently (anything else is false) but
 * its flavor API validator is strict. kvmtune is strict everywhere: a value that is neither is an
 * error naming the key, never a silent false.
 */
public final class NovaBoolean {

    private NovaBoolean() {
    }

    /** The boolean {@code value} spells, or empty when it is not one of the recognised words. */
    public static Optional<Boolean> recognise(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "t", "true", "on", "y", "yes" -> Optional.of(Boolean.TRUE);
            case "0", "f", "false", "off", "n", "no" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }

    /**
     * Reads {@code key}'s {@code value} or fails with {@code code}.
     *
     * @param code {@code ValidationError} for flavor extra specs (Nova's API validator), else
     *     {@code Invalid}
     */
    public static boolean parse(String code, String key, String value) {
        return recognise(value).orElseThrow(() -> new InvalidInputException(code, key, value,
                key + "=" + value + " is not a boolean: use one of 1/0, t/f, true/false, on/off, y/n, yes/no"));
    }
}
