package io.kvmtune.core.apply;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.qemu.ThreadRole;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an apply did to one thread.
 *
 * @param identity the thread
 * @param comm its name
 * @param role its role
 * @param before its state before, empty when it was gone already
 * @param after its state read back from the kernel afterwards (predicted for a dry run), empty
 *     when it is gone
 * @param changed whether anything of it was changed
 */
public record ThreadChange(ThreadIdentity identity, String comm, ThreadRole role, Optional<ThreadState> before,
        Optional<ThreadState> after, boolean changed) implements JsonWritable {

    /** An emulator thread that exited while the plan was applied (QEMU's idle workers do). */
    public boolean gone() {
        return after.isEmpty();
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tid", identity.tid());
        m.put("comm", comm);
        m.put("role", role.label());
        m.put("before", before.orElse(null));
        m.put("after", after.orElse(null));
        m.put("changed", changed);
        m.put("gone", gone());
        return m;
    }
}
