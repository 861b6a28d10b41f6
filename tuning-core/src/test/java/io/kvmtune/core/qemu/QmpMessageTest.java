package io.kvmtune.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QmpMessageTest {

    @Test
    void classifiesTheFourMessages() {
        assertThat(QmpMessage.parse(FakeQmpServer.GREETING)).isEqualTo(new QmpMessage.Greeting("7.2.22", List.of("oob")));
        assertThat(QmpMessage.parse("{\"return\": {}, \"id\": 7}")).isEqualTo(new QmpMessage.Reply(Optional.of(7L), java.util.Map.of()));
        assertThat(QmpMessage.parse("{\"error\": {\"class\": \"GenericError\", \"desc\": \"x\"}}"))
                .isEqualTo(new QmpMessage.ErrorReply(Optional.empty(), "GenericError", "x"));
        assertThat(QmpMessage.parse("{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": false}, \"timestamp\": {}}"))
                .isInstanceOfSatisfying(QmpMessage.Event.class, e -> {
                    assertThat(e.name()).isEqualTo("SHUTDOWN");
                    assertThat(e.data().orElseThrow().bool("guest")).isFalse();
                });
    }

    @Test
    void anythingElseIsAProtocolError() {
        assertThatThrownBy(() -> QmpMessage.parse("{\"hello\": 1}")).isInstanceOf(QmpException.class)
                .hasMessageContaining("neither greeting, reply nor event");
        assertThatThrownBy(() -> QmpMessage.parse("[]")).isInstanceOf(QmpException.class);
        assertThatThrownBy(() -> QmpMessage.parse("{\"QMP\": {}}")).isInstanceOf(QmpException.class);
    }

    @Test
    void framesLinesAcrossReadsAndBoundsTheirLength() {
        LineFramer framer = new LineFramer(16);
        framer.feed(ByteBuffer.wrap("{\"a\":1}\r\n{\"b\"".getBytes(StandardCharsets.UTF_8)));
        framer.feed(ByteBuffer.wrap(":2}\n\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(framer.next()).contains("{\"a\":1}");
        assertThat(framer.next()).contains("{\"b\":2}");
        assertThat(framer.next()).isEmpty();
        assertThatThrownBy(() -> framer.feed(ByteBuffer.wrap("x".repeat(17).getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(QmpException.class).hasMessageContaining("longer than 16 bytes");
    }
}
