package io.kvmtune.core.qemu;

import static io.kvmtune.core.qemu.FakeQmpServer.afterCapabilities;
import static io.kvmtune.core.qemu.FakeQmpServer.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QmpClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String EVENT = "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"RESUME\"}";
    private static final String CPUS = "[{\"thread-id\": 11429, \"props\": {\"core-id\": 0, \"thread-id\": 0, \"socket-id\": 0},"
            + " \"qom-path\": \"/machine/unattached/device[0]\", \"cpu-index\": 0, \"target\": \"x86_64\"},"
            + " {\"thread-id\": 11430, \"qom-path\": \"/machine/peripheral/cpu1\", \"cpu-index\": 1, \"target\": \"x86_64\"}]";

    @TempDir
    Path dir;

    private FakeQmpServer server(Function<JsonObject, List<String>> script) throws Exception {
        return new FakeQmpServer(dir.resolve("qmp.sock"), FakeQmpServer.GREETING, afterCapabilities(script));
    }

    private static QmpException qmpError(Throwable t) {
        return (QmpException) t;
    }

    @Test
    void negotiatesCapabilitiesAndReadsVcpuThreadsPastInterleavedEvents() throws Exception {
        try (FakeQmpServer server = server(r -> List.of(EVENT, reply(r, CPUS), EVENT));
                QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {

            List<QmpCpu> cpus = qmp.queryCpusFast();

            assertThat(qmp.qemuVersion()).isEqualTo("7.2.22");
            assertThat(cpus).containsExactly(new QmpCpu(0, 11429, "/machine/unattached/device[0]"),
                    new QmpCpu(1, 11430, "/machine/peripheral/cpu1"));
            assertThat(qmp.drainEvents()).extracting(QmpMessage.Event::name).containsExactly("RESUME");
            assertThat(qmp.drainEvents()).isEmpty();
            assertThat(server.requests()).extracting(r -> r.string("execute"))
                    .containsExactly("qmp_capabilities", "query-cpus-fast");
            assertThat(server.requests().get(0).string("id")).isNotEqualTo(server.requests().get(1).string("id"));
        }
    }

    @Test
    void readsIoThreads() throws Exception {
        String io = "[{\"poll-shrink\": 0, \"thread-id\": 11419, \"aio-max-batch\": 0, \"poll-grow\": 0,"
                + " \"poll-max-ns\": 32768, \"id\": \"iothread1\"}]";
        try (FakeQmpServer server = server(r -> List.of(reply(r, io)));
                QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {

            assertThat(qmp.queryIoThreads()).containsExactly(new QmpIoThread("iothread1", 11419));
        }
    }

    @Test
    void sendsArgumentsAndSkipsLateRepliesToEarlierCommands() throws Exception {
        try (FakeQmpServer server = server(r -> List.of("{\"return\": {\"stale\": true}, \"id\": \"kvmtune-0\"}",
                        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"old\"}, \"id\": \"other\"}",
                        reply(r, "{\"running\": false, \"status\": \"prelaunch\"}")));
                QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {

            Object result = qmp.execute("query-status", Map.of("x", 1));

            assertThat(result).isEqualTo(Map.of("running", false, "status", "prelaunch"));
            assertThat(server.requests().getLast().object("arguments").integer("x")).isEqualTo(1);
        }
    }

    @Test
    void anErrorReplyNamesTheCommandAndQemusErrorClass() throws Exception {
        try (FakeQmpServer server = server(r -> List.of(
                "{\"id\": " + Json.write(r.get("id"))
                        + ", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been found\"}}"));
                QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {

            assertThatThrownBy(() -> qmp.execute("nope", Map.of()))
                    .isInstanceOfSatisfying(QmpException.class, e -> {
                        assertThat(e.code()).isEqualTo("QmpCommandFailed");
                        assertThat(e.key()).isEqualTo("nope");
                        assertThat(e.value()).isEqualTo("CommandNotFound");
                    })
                    .hasMessage("QMP command nope failed: CommandNotFound: The command nope has not been found");
        }
    }

    @Test
    void anErrorWithoutIdIsTheAnswerToThePendingCommand() throws Exception {
        try (FakeQmpServer server = server(r -> List.of("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error\"}}"));
                QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {

            assertThatThrownBy(qmp::queryCpusFast).satisfies(t -> assertThat(qmpError(t).value()).isEqualTo("GenericError"));
        }
    }

    @Test
    void timesOutWhenNoReplyComesAndTheConnectionStaysUsable() throws Exception {
        try (FakeQmpServer server = server(r -> r.string("execute").equals("slow") ? List.of() : List.of(reply(r, CPUS)));
                QmpClient qmp = QmpClient.connect(server.socket(), Duration.ofMillis(300))) {

            assertThatThrownBy(() -> qmp.execute("slow", Map.of()))
                    .satisfies(t -> assertThat(qmpError(t).code()).isEqualTo("QmpTimeout"))
                    .hasMessageContaining("no reply to slow");
            assertThat(qmp.queryCpusFast()).hasSize(2);
        }
    }

    @Test
    void garbageIsAProtocolError() throws Exception {
        try (FakeQmpServer server = server(r -> List.of("{\"return\": [1, 2"));
                QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {

            assertThatThrownBy(qmp::queryCpusFast).satisfies(t -> assertThat(qmpError(t).code()).isEqualTo("QmpProtocolError"))
                    .hasMessageContaining("malformed JSON");
        }
    }

    @Test
    void aReplyOfTheWrongShapeIsAProtocolError() throws Exception {
        try (FakeQmpServer server = server(r -> List.of(reply(r, "[{\"cpu-index\": 0, \"thread-id\": -4}]")));
                QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {

            assertThatThrownBy(qmp::queryCpusFast).satisfies(t -> assertThat(qmpError(t).code()).isEqualTo("QmpProtocolError"))
                    .hasMessageContaining("thread-id must be positive");
        }
        try (FakeQmpServer server = new FakeQmpServer(dir.resolve("b.sock"), FakeQmpServer.GREETING,
                        afterCapabilities(r -> List.of(reply(r, "{\"not\": \"a list\"}"))));
                QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {

            assertThatThrownBy(qmp::queryCpusFast).satisfies(t -> assertThat(qmpError(t).code()).isEqualTo("QmpProtocolError"));
        }
    }

    @Test
    void aClosedConnectionIsUnavailable() throws Exception {
        try (FakeQmpServer server = server(r -> null);
                QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {

            assertThatThrownBy(qmp::queryCpusFast).satisfies(t -> assertThat(qmpError(t).code()).isEqualTo("QmpUnavailable"))
                    .hasMessageContaining("closed while waiting for the reply to query-cpus-fast");
        }
    }

    @Test
    void nothingListeningIsUnavailable() {
        assertThatThrownBy(() -> QmpClient.connect(dir.resolve("none.sock"), TIMEOUT))
                .satisfies(t -> assertThat(qmpError(t).code()).isEqualTo("QmpUnavailable"))
                .hasMessageContaining("none.sock");
    }

    @Test
    void aServerThatNeverGreetsTimesOutAndSaysWhyItMayBeHeld() throws Exception {
        try (FakeQmpServer server = new FakeQmpServer(dir.resolve("held.sock"), null, r -> List.of())) {
            assertThatThrownBy(() -> QmpClient.connect(server.socket(), Duration.ofMillis(300)))
                    .satisfies(t -> assertThat(qmpError(t).code()).isEqualTo("QmpTimeout"))
                    .hasMessageContaining("no QMP greeting")
                    .hasMessageContaining("another may hold this one");
        }
    }

    @Test
    void aServerThatIsNotQmpIsAProtocolError() throws Exception {
        try (FakeQmpServer server = new FakeQmpServer(dir.resolve("x.sock"), "{\"return\": {}}", r -> List.of())) {
            assertThatThrownBy(() -> QmpClient.connect(server.socket(), TIMEOUT))
                    .satisfies(t -> assertThat(qmpError(t).code()).isEqualTo("QmpProtocolError"))
                    .hasMessageContaining("did not greet as a QMP server");
        }
    }
}
