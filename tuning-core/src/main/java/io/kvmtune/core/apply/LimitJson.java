package io.kvmtune.core.apply;

import io.kvmtune.core.json.JsonObject;
import io.kvmtune.linux.ResourceLimit;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON form of a resource limit in records and reports: bytes, {@code null} for unlimited. */
final class LimitJson {

    private LimitJson() {
    }

    static Map<String, Object> write(ResourceLimit limit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("soft", limit.softUnlimited() ? null : limit.soft());
        m.put("hard", limit.hardUnlimited() ? null : limit.hard());
        return m;
    }

    static ResourceLimit read(JsonObject o) {
        return new ResourceLimit(o.optInteger("soft").orElse(ResourceLimit.INFINITY),
                o.optInteger("hard").orElse(ResourceLimit.INFINITY));
    }
}
