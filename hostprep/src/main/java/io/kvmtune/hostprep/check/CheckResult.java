package io.kvmtune.hostprep.check;

import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One readiness check's verdict.
 *
 * @param id stable identifier scripts match on ({@code isolation.nohz-full})
 * @param title what is checked, for people
 */
public record CheckResult(String id, String title, Outcome outcome) implements JsonWritable {

    public CheckStatus status() {
        return outcome.status();
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("title", title);
        m.put("status", outcome.status());
        m.put("finding", outcome.finding());
        m.put("evidence", outcome.evidence());
        m.put("remedy", outcome.remedy());
        return m;
    }
}
