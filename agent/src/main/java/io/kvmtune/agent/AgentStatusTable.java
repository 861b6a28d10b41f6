package io.kvmtune.agent;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.text.TextTable;
import java.util.Map;

/** The table form of {@code kvmtune agent status}, from the JSON the agent returns. */
public final class AgentStatusTable {

    private AgentStatusTable() {
    }

    public static String render(String statusJson) {
        JsonObject status = Json.parseObject(statusJson);
        StringBuilder out = new StringBuilder();
        out.append("agent pid ").append(status.integer("agent_pid")).append(", drift = ")
                .append(status.string("drift_mode")).append('\n');
        TextTable threads = new TextTable("GUEST", "QEMU", "PLAN", "TID", "COMM", "ROLE", "PCPUS", "POLICY");
        for (JsonObject g : status.objects("guests")) {
            for (JsonObject t : g.objects("threads")) {
                threads.row(g.string("name"), g.integer("pid"), g.string("plan_source"), t.integer("tid"),
                        t.string("comm"), t.string("role"), t.string("pcpus"), t.string("policy"));
            }
            for (Object tid : g.array("pending_tids")) {
                threads.row(g.string("name"), g.integer("pid"), g.string("plan_source"), tid, "", "(pending)", "", "");
            }
        }
        out.append(threads.render());
        status.optObject("last_drift").ifPresentOrElse(d -> out.append("last drift: ").append(d.string("guest"))
                .append(' ').append(d.string("role")).append(" tid ").append(d.integer("tid")).append(": ")
                .append(d.array("kinds")).append(", affinity ").append(d.string("affinity")).append(" (planned ")
                .append(d.string("planned_affinity")).append("), policy ").append(d.string("policy"))
                .append(" (planned ").append(d.string("planned_policy")).append(")\n"),
                () -> out.append("last drift: none\n"));
        StringBuilder counters = new StringBuilder();
        for (Map.Entry<String, Object> e : status.object("counters").fields().entrySet()) {
            counters.append(counters.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        }
        out.append("counters: ").append(counters).append('\n');
        return out.toString();
    }
}
