package io.kvmtune.agent;

import io.kvmtune.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * The agent's status on a root-only UNIX socket: a client connects, sends {@code status}, and
 * reads the {@link AgentStatus} as JSON until the agent closes the connection. Read-only: there is
 * no request that changes anything.
 *
 * <p>The socket is bound under a temporary name, given mode 0600, and only then renamed into
 * place, so it is never reachable with the process umask's wider mode.
 */
final class StatusServer implements AutoCloseable {

    private static final int MAX_REQUEST = 64;

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    private StatusServer(Path path, ServerSocketChannel server, Supplier<AgentStatus> status, AgentLog log) {
        this.path = path;
        this.server = server;
        this.acceptor = Thread.ofPlatform().daemon().name("kvmtune-agent-status").unstarted(() -> serve(status, log));
    }

    static StatusServer start(Path path, Supplier<AgentStatus> status, AgentLog log) {
        try {
            Files.createDirectories(path.getParent());
            Path bound = path.resolveSibling(path.getFileName() + ".new-" + ProcessHandle.current().pid());
            Files.deleteIfExists(bound);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(bound));
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            Files.move(bound, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            StatusServer s = new StatusServer(path, server, status, log);
            s.acceptor.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the status socket " + path, e);
        }
    }

    private void serve(Supplier<AgentStatus> status, AgentLog log) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                ByteBuffer request = ByteBuffer.allocate(MAX_REQUEST);
                client.read(request);
                String asked = new String(request.array(), 0, request.position(), StandardCharsets.US_ASCII).strip();
                String answer = asked.equals("status") ? Json.pretty(status.get())
                        : "{\"error\": \"unknown request; the only one is: status\"}";
                client.write(ByteBuffer.wrap((answer + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("status request failed: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the socket file is stale now; the next agent replaces it
        }
    }
}
