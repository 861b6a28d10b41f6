package io.kvmtune.core.plan;

import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of the guest's {@code <clock>} Nova's {@code _set_clock} decides beside the timers of
 * {@code _set_kvm_timers}: Windows guests ({@code os_type=windows}) keep their clock in local time,
 * as Windows expects, and on kvm get the paravirtual Hyper-V clock ({@code hypervclock}).
 *
 * @param localtime {@code offset="localtime"} rather than {@code utc}
 * @param hypervClock a {@code <timer name="hypervclock" present="yes"/>}
 */
public record GuestClock(boolean localtime, boolean hypervClock) implements JsonWritable {

    /** Every guest but a Windows one: a UTC clock without the Hyper-V timer. */
    public static final GuestClock UTC = new GuestClock(false, false);

    /** libvirt's {@code offset} attribute. */
    public String offset() {
        return localtime ? "localtime" : "utc";
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offset", offset());
        m.put("hypervclock", hypervClock);
        return m;
    }

    public static GuestClock fromJson(JsonObject o) {
        return new GuestClock("localtime".equals(o.string("offset")), o.bool("hypervclock"));
    }
}
