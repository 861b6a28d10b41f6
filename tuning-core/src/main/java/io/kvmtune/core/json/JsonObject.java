package io.kvmtune.core.json;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed, read-only access to a parsed JSON object whose errors name the field by its path
 * ({@code $.vcpus[2].pcpus}), so that a bad plan file or QMP reply says exactly what is wrong.
 */
public record JsonObject(Map<String, Object> fields, String path) {

    /** Views {@code value} as an object, or fails naming {@code path}. */
    @SuppressWarnings("unchecked")
    public static JsonObject of(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            return new JsonObject((Map<String, Object>) map, path);
        }
        throw shape(path, "an object", value);
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }

    /** The raw member value, or {@code null} when absent or null. */
    public Object get(String name) {
        return fields.get(name);
    }

    public String string(String name) {
        return require(name, String.class, "a string");
    }

    public Optional<String> optString(String name) {
        return optional(name, String.class, "a string");
    }

    public long integer(String name) {
        return require(name, Long.class, "an integer");
    }

    public Optional<Long> optInteger(String name) {
        return optional(name, Long.class, "an integer");
    }

    /** An integer member that must fit in an {@code int}. */
    public int intValue(String name) {
        long v = integer(name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new JsonException(path + "." + name + " is out of range: " + v, -1);
        }
        return (int) v;
    }

    public boolean bool(String name) {
        return require(name, Boolean.class, "true or false");
    }

    public Optional<Boolean> optBool(String name) {
        return optional(name, Boolean.class, "true or false");
    }

    public JsonObject object(String name) {
        return of(requirePresent(name), path + "." + name);
    }

    public Optional<JsonObject> optObject(String name) {
        Object v = fields.get(name);
        return v == null ? Optional.empty() : Optional.of(of(v, path + "." + name));
    }

    @SuppressWarnings("unchecked")
    public List<Object> array(String name) {
        Object v = requirePresent(name);
        if (v instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw shape(path + "." + name, "an array", v);
    }

    /** The array member's elements viewed as objects, with indexed paths for errors. */
    public List<JsonObject> objects(String name) {
        List<Object> list = array(name);
        String base = path + "." + name;
        return java.util.stream.IntStream.range(0, list.size())
                .mapToObj(i -> of(list.get(i), base + "[" + i + "]"))
                .toList();
    }

    private <T> T require(String name, Class<T> type, String expected) {
        Object v = requirePresent(name);
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        throw shape(path + "." + name, expected, v);
    }

    private <T> Optional<T> optional(String name, Class<T> type, String expected) {
        Object v = fields.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (type.isInstance(v)) {
            return Optional.of(type.cast(v));
        }
        throw shape(path + "." + name, expected, v);
    }

    private Object requirePresent(String name) {
        Object v = fields.get(name);
        if (v == null) {
            throw new JsonException(path + "." + name + " is missing", -1);
        }
        return v;
    }

    private static JsonException shape(String path, String expected, Object actual) {
        String found = actual == null ? "null" : actual instanceof String s ? "the string \"" + s + "\""
                : actual instanceof Map ? "an object" : actual instanceof List ? "an array" : String.valueOf(actual);
        return new JsonException(path + " must be " + expected + ", found " + found, -1);
    }
}
