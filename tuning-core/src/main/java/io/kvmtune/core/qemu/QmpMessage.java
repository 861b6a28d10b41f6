package io.kvmtune.core.qemu;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * One message a QMP server sends (qemu docs/interop/qmp-spec.rst): the greeting, a successful
 * reply, an error reply, or an asynchronous event. Members QMP may add later are ignored.
 */
public sealed interface QmpMessage {

    /** {@code {"QMP": {"version": {"qemu": {...}, "package": ...}, "capabilities": [...]}}}. */
    record Greeting(String version, List<String> capabilities) implements QmpMessage { }

    /** {@code {"return": ..., "id": ...}}; {@code id} is empty when the command had none. */
    record Reply(Optional<Object> id, Object result) implements QmpMessage { }

    /** {@code {"error": {"class": ..., "desc": ...}, "id": ...}}; no id when QEMU could not parse the command. */
    record ErrorReply(Optional<Object> id, String errorClass, String description) implements QmpMessage { }

    /** {@code {"event": NAME, "data": {...}, "timestamp": {...}}}. */
    record Event(String name, Optional<JsonObject> data) implements QmpMessage { }

    /**
     * Parses one line from the server.
     *
     * @throws QmpException with code {@code QmpProtocolError} for anything that is not one of the
     *     four messages
     */
    static QmpMessage parse(String line) {
        try {
            JsonObject o = Json.parseObject(line);
            if (o.has("QMP")) {
                JsonObject qmp = o.object("QMP");
                JsonObject qemu = qmp.object("version").object("qemu");
                String version = qemu.integer("major") + "." + qemu.integer("minor") + "." + qemu.integer("micro");
                List<String> capabilities = qmp.array("capabilities").stream().map(String::valueOf).toList();
                return new Greeting(version, capabilities);
            }
            if (o.has("event")) {
                return new Event(o.string("event"), o.optObject("data"));
            }
            Optional<Object> id = Optional.ofNullable(o.get("id"));
            if (o.has("error")) {
                JsonObject error = o.object("error");
                return new ErrorReply(id, error.string("class"), error.optString("desc").orElse(""));
            }
            if (o.has("return")) {
                return new Reply(id, o.get("return"));
            }
            throw QmpException.protocol("QMP sent a message that is neither greeting, reply nor event: "
                    + ProcStat.abbreviate(line), null);
        } catch (JsonException e) {
            throw QmpException.protocol("QMP sent malformed JSON: " + e.getMessage() + ": " + ProcStat.abbreviate(line), e);
        }
    }
}
