package io.kvmtune.core.qemu;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of one QEMU monitor (QMP) UNIX socket, over the JDK's own UNIX-domain channels.
 *
 * <p>{@link #connect} reads the greeting and negotiates capabilities; {@link #execute} sends one
 * command with a fresh id and waits for the reply with that id, keeping events that arrive in
 * between (see {@link #drainEvents()}) and dropping late replies to earlier commands that timed
 * out. Every wait is bounded.
 *
 * <p>QEMU serves one client per QMP socket and queues further connections unanswered, so a socket
 * someone else holds (libvirt holds its guests' monitors for their whole life) shows up as a
 * greeting timeout. Not thread-safe: one command at a time.
 */
public final class QmpClient implements AutoCloseable {

    /** Bigger than any reply kvmtune asks for (query-cpus-fast for thousands of vCPUs). */
    private static final int MAX_LINE_BYTES = 16 << 20;
    /** Events kept for {@link #drainEvents()}; older ones are dropped first. */
    private static final int MAX_EVENTS = 1024;

    private final Path socket;
    private final SocketChannel channel;
    private final Selector selector;
    private final Duration timeout;
    private final LineFramer framer = new LineFramer(MAX_LINE_BYTES);
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final List<QmpMessage.Event> events = new ArrayList<>();
    private String version = "";
    private long lastId;

    private QmpClient(Path socket, SocketChannel channel, Selector selector, Duration timeout) {
        this.socket = socket;
        this.channel = channel;
        this.selector = selector;
        this.timeout = timeout;
    }

    /**
     * Connects to the QMP socket at {@code socket}, reads the greeting and enters command mode
     * ({@code qmp_capabilities}).
     *
     * @param timeout the bound on connecting, on the greeting, and on every later command
     * @throws QmpException {@code QmpUnavailable} when nothing listens there, {@code QmpTimeout}
     *     when no greeting comes (another client holds the monitor), {@code QmpProtocolError}
     *     when what comes is not QMP
     */
    public static QmpClient connect(Path socket, Duration timeout) {
        SocketChannel channel = null;
        Selector selector = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.configureBlocking(false);
            selector = Selector.open();
            QmpClient client = new QmpClient(socket, channel, selector, timeout);
            client.handshake();
            return client;
        } catch (IOException e) {
            closeQuietly(channel, selector);
            throw QmpException.unavailable("cannot connect to QMP socket " + socket + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel, selector);
            throw e;
        }
    }

    private void handshake() throws IOException {
        long deadline = deadline(timeout);
        connectBefore(deadline);
        channel.register(selector, SelectionKey.OP_READ);
        QmpMessage first = QmpMessage.parse(readLine(deadline, "QMP greeting"));
        if (!(first instanceof QmpMessage.Greeting greeting)) {
            throw QmpException.protocol(socket + " did not greet as a QMP server; it sent " + first, null);
        }
        version = greeting.version();
        execute("qmp_capabilities", Map.of());
    }

    /**
     * Connects without blocking: with a full backlog a UNIX-domain connect would otherwise wait
     * without bound; the kernel answers EAGAIN instead, and this retries until the deadline.
     */
    private void connectBefore(long deadline) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        while (true) {
            try {
                if (channel.connect(address) || finishConnect(deadline)) {
                    return;
                }
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("Resource temporarily unavailable")) {
                    throw e;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw QmpException.timeout("QMP socket " + socket + " did not accept a connection within " + timeout);
            }
            sleepBriefly();
        }
    }

    private boolean finishConnect(long deadline) throws IOException {
        SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
        try {
            while (!channel.finishConnect()) {
                if (selector.select(remainingMillis(deadline)) == 0 && System.nanoTime() - deadline >= 0) {
                    return false;
                }
                selector.selectedKeys().clear();
            }
            return true;
        } finally {
            key.interestOps(0);
        }
    }

    /** QEMU's version from the greeting, {@code major.minor.micro}. */
    public String qemuVersion() {
        return version;
    }

    /**
     * Runs {@code command} and returns the value of its {@code return} member (an object, array,
     * string ... as {@link Json} maps them).
     *
     * @throws QmpException {@code QmpCommandFailed} for an error reply, {@code QmpTimeout} when no
     *     reply comes in time, {@code QmpUnavailable} when QEMU closes the connection,
     *     {@code QmpProtocolError} for garbage
     */
    public Object execute(String command, Map<String, ?> arguments) {
        long deadline = deadline(timeout);
        String id = "kvmtune-" + ++lastId;
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("execute", command);
        if (!arguments.isEmpty()) {
            request.put("arguments", arguments);
        }
        request.put("id", id);
        write(Json.write(request) + "\n", deadline, command);
        while (true) {
            QmpMessage message = QmpMessage.parse(readLine(deadline, "reply to " + command));
            switch (message) {
                case QmpMessage.Event event -> keep(event);
                case QmpMessage.Reply reply when reply.id().isEmpty() ->
                    throw QmpException.protocol("QMP answered " + command + " with a reply without id", null);
                case QmpMessage.Reply reply when reply.id().get().equals(id) -> {
                    return reply.result();
                }
                // A late reply to an earlier command that timed out.
                case QmpMessage.Reply _ -> { }
                case QmpMessage.ErrorReply error when error.id().isEmpty() || error.id().get().equals(id) ->
                    throw QmpException.commandFailed(command, error.errorClass(), error.description());
                case QmpMessage.ErrorReply _ -> { }
                case QmpMessage.Greeting _ ->
                    throw QmpException.protocol("QMP sent a second greeting while waiting for " + command, null);
            }
        }
    }

    /** {@code query-cpus-fast}: the host thread of every vCPU, by QEMU's cpu-index. */
    public List<QmpCpu> queryCpusFast() {
        return entries("query-cpus-fast").stream()
                .map(o -> new QmpCpu(o.intValue("cpu-index"), threadId(o), o.optString("qom-path").orElse("")))
                .toList();
    }

    /** {@code query-iothreads}: the host thread of every {@code -object iothread}. */
    public List<QmpIoThread> queryIoThreads() {
        return entries("query-iothreads").stream()
                .map(o -> new QmpIoThread(o.string("id"), threadId(o)))
                .toList();
    }

    private List<JsonObject> entries(String command) {
        Object result = execute(command, Map.of());
        try {
            return JsonObject.of(Map.of("return", result == null ? List.of() : result), command).objects("return");
        } catch (JsonException e) {
            throw QmpException.protocol("QMP reply to " + command + " has the wrong shape: " + e.getMessage(), e);
        }
    }

    private static int threadId(JsonObject entry) {
        try {
            int tid = entry.intValue("thread-id");
            if (tid <= 0) {
                throw new JsonException(entry.path() + ".thread-id must be positive, found " + tid, -1);
            }
            return tid;
        } catch (JsonException e) {
            throw QmpException.protocol("QMP reply has a bad thread id: " + e.getMessage(), e);
        }
    }

    /** The events received so far, oldest first, and forgets them. */
    public List<QmpMessage.Event> drainEvents() {
        List<QmpMessage.Event> drained = List.copyOf(events);
        events.clear();
        return drained;
    }

    private void keep(QmpMessage.Event event) {
        if (events.size() == MAX_EVENTS) {
            events.removeFirst();
        }
        events.add(event);
    }

    private String readLine(long deadline, String what) {
        try {
            while (true) {
                var line = framer.next();
                if (line.isPresent()) {
                    return line.get();
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw QmpException.timeout("no " + what + " from QMP socket " + socket + " within " + timeout
                            + " (QEMU serves one client per QMP socket; another may hold this one)");
                }
                selector.select(remainingMillis(deadline));
                selector.selectedKeys().clear();
                readBuffer.clear();
                int n = channel.read(readBuffer);
                if (n < 0) {
                    throw QmpException.unavailable("QMP socket " + socket + " closed while waiting for the " + what, null);
                }
                readBuffer.flip();
                framer.feed(readBuffer);
            }
        } catch (IOException e) {
            throw QmpException.unavailable("reading QMP socket " + socket + " failed: " + e.getMessage(), e);
        }
    }

    private void write(String text, long deadline, String command) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) {
                    if (System.nanoTime() - deadline >= 0) {
                        throw QmpException.timeout("QMP socket " + socket + " did not take " + command + " within " + timeout);
                    }
                    sleepBriefly();
                }
            }
        } catch (IOException e) {
            throw QmpException.unavailable("sending " + command + " to QMP socket " + socket + " failed: " + e.getMessage(), e);
        }
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    /** At least 1: {@code select(0)} would wait forever. */
    private static long remainingMillis(long deadline) {
        return Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis());
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw QmpException.unavailable("interrupted while talking to QMP", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel, selector);
    }

    private static void closeQuietly(SocketChannel channel, Selector selector) {
        try (selector; channel) {
            // closed by try-with-resources; null resources are skipped
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
