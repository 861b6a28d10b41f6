package io.kvmtune.core.apply;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.linux.ResourceLimit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Memory locking of the QEMU, for plans that ask for locked memory.
 *
 * @param lockedBytes {@code VmLck} of the process
 * @param limitBefore RLIMIT_MEMLOCK before, when kvmtune was asked to raise it
 * @param limitAfter RLIMIT_MEMLOCK afterwards, when kvmtune was asked to raise it
 */
public record MemoryReport(long lockedBytes, Optional<ResourceLimit> limitBefore, Optional<ResourceLimit> limitAfter)
        implements JsonWritable {

    /** Whether QEMU has locked its memory ({@code -overcommit mem-lock=on}): VmLck is not zero. */
    public boolean locked() {
        return lockedBytes > 0;
    }

    public boolean changed() {
        return !limitBefore.equals(limitAfter);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("locked_bytes", lockedBytes);
        m.put("locked", locked());
        m.put("memlock_before", limitBefore.map(LimitJson::write).orElse(null));
        m.put("memlock_after", limitAfter.map(LimitJson::write).orElse(null));
        return m;
    }
}
