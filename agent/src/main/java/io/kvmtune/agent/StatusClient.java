package io.kvmtune.agent;

import io.kvmtune.core.MissingComponentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Asks a running agent for its status over {@link AgentSettings#statusSocket()}. */
public final class StatusClient {

    private StatusClient() {
    }

    /**
     * The status JSON the agent at {@code socket} returns.
     *
     * @throws MissingComponentException ({@code AgentNotRunning}) when nothing answers there
     */
    public static String status(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("status\n".getBytes(StandardCharsets.US_ASCII)));
            channel.shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MissingComponentException("AgentNotRunning", "no kvmtune agent answers on " + socket + " ("
                    + e.getMessage() + "): start it with kvmtune agent run (or systemctl start kvmtune-agent)", e);
        }
    }
}
