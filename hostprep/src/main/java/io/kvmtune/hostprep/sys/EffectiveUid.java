package io.kvmtune.hostprep.sys;

import java.util.OptionalInt;

/**
 * The effective user id of this process, from the {@code Uid:} line of {@code /proc/self/status}
 * (real, effective, saved set and filesystem ids, tab separated). Read through {@link HostFs} so
 * that a fake tree can stand for a process without root.
 */
public final class EffectiveUid {

    static final String STATUS = "/proc/self/status";

    private EffectiveUid() {
    }

    /** This process's effective uid, or empty when {@code /proc/self/status} cannot be read or parsed. */
    public static OptionalInt of(HostFs fs) {
        try {
            return fs.read(STATUS).map(EffectiveUid::parse).orElse(OptionalInt.empty());
        } catch (HostReadException e) {
            return OptionalInt.empty();
        }
    }

    /** The second id of the {@code Uid:} line, or empty when there is no such line with a decimal id. */
    public static OptionalInt parse(String status) {
        for (String line : status.split("\n", -1)) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).strip().split("\\s+");
                if (ids.length < 2 || !ids[1].matches("\\d{1,10}")) {
                    return OptionalInt.empty();
                }
                long uid = Long.parseLong(ids[1]);
                return uid <= Integer.MAX_VALUE ? OptionalInt.of((int) uid) : OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }
}
