package io.kvmtune.core.apply;

import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process's {@code RLIMIT_MEMLOCK} in bytes; {@link #UNLIMITED} is {@code RLIM_INFINITY}.
 *
 * @param soft the soft limit
 * @param hard the hard limit
 */
public record MemlockLimit(long soft, long hard) implements JsonWritable {

    /** {@code RLIM_INFINITY} as an unsigned 64-bit value seen from Java. */
    public static final long UNLIMITED = -1L;

    public static MemlockLimit unlimited() {
        return new MemlockLimit(UNLIMITED, UNLIMITED);
    }

    /** Whether at least {@code bytes} may be locked under the soft limit. */
    public boolean allows(long bytes) {
        return soft == UNLIMITED || Long.compareUnsigned(soft, bytes) >= 0;
    }

    @Override
    public String toString() {
        return format(soft) + "/" + format(hard);
    }

    private static String format(long limit) {
        return limit == UNLIMITED ? "unlimited" : Long.toUnsignedString(limit);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("soft", soft == UNLIMITED ? null : soft);
        m.put("hard", hard == UNLIMITED ? null : hard);
        return m;
    }

    /** Reads the JSON form, where {@code null} stands for unlimited. */
    public static MemlockLimit fromJson(JsonObject o) {
        return new MemlockLimit(o.optInteger("soft").orElse(UNLIMITED), o.optInteger("hard").orElse(UNLIMITED));
    }
}
