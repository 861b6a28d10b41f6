package io.kvmtune.hostprep.sys;

import io.kvmtune.core.KvmtuneException;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One value read from a host file, or why it could not be: the unit of evidence of the
 * inventory and the checks. The path is the host path, whatever root it was read under.
 *
 * @param <T> the parsed value
 */
public sealed interface Fact<T> extends JsonWritable {

    /** The host file the value comes from. */
    String path();

    Optional<T> value();

    /** A value that was read. */
    record Known<T>(String path, T data) implements Fact<T> {
        @Override
        public Optional<T> value() {
            return Optional.of(data);
        }

        @Override
        public Object toJson() {
            return data instanceof JsonWritable || data instanceof Number || data instanceof Boolean
                    || data instanceof Iterable<?> || data instanceof Map<?, ?> ? data : String.valueOf(data);
        }
    }

    /**
     * A value that could not be read.
     *
     * @param absent true when the file does not exist (the kernel lacks the feature), false when it
     *     exists but could not be read or parsed
     */
    record Unknown<T>(String path, boolean absent, String reason) implements Fact<T> {
        @Override
        public Optional<T> value() {
            return Optional.empty();
        }

        @Override
        public Object toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unavailable", reason);
            m.put("path", path);
            return m;
        }
    }

    /**
     * Reads and parses {@code path}: a missing file is {@link Unknown#absent()}; an unreadable one
     * or a value {@code parse} rejects is an {@link Unknown} naming the reason.
     */
    static <T> Fact<T> read(HostFs fs, String path, Function<String, T> parse) {
        try {
            Optional<String> text = fs.read(path);
            if (text.isEmpty()) {
                return new Unknown<>(path, true, "absent");
            }
            return parse(path, text.get(), parse);
        } catch (HostReadException e) {
            return new Unknown<>(path, false, e.reason());
        }
    }

    /** Parses text already read from {@code path}. */
    static <T> Fact<T> parse(String path, String text, Function<String, T> parse) {
        try {
            return new Known<>(path, parse.apply(text));
        } catch (IllegalArgumentException | KvmtuneException e) {
            return new Unknown<>(path, false, "unparseable '" + text.strip() + "': " + e.getMessage());
        }
    }

    /** The file's text with surrounding whitespace removed. */
    static Fact<String> text(HostFs fs, String path) {
        return read(fs, path, String::strip);
    }

    static <T> Fact<T> unknown(String path, String reason) {
        return new Unknown<>(path, false, reason);
    }

    default <U> Fact<U> map(Function<T, U> f) {
        return switch (this) {
            case Known<T> k -> {
                try {
                    yield new Known<>(k.path(), f.apply(k.data()));
                } catch (IllegalArgumentException | KvmtuneException e) {
                    yield new Unknown<>(k.path(), false, "unparseable '" + k.data() + "': " + e.getMessage());
                }
            }
            case Unknown<T> u -> new Unknown<>(u.path(), u.absent(), u.reason());
        };
    }

    /** For evidence: the value as text, or {@code unavailable (reason)}. */
    default String describe() {
        return switch (this) {
            case Known<T> k -> String.valueOf(k.data());
            case Unknown<T> u -> u.absent() ? "absent" : "unreadable (" + u.reason() + ")";
        };
    }
}
