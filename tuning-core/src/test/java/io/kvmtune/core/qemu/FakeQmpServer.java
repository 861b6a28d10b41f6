package io.kvmtune.core.qemu;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted QMP server on a UNIX socket for unit tests: it sends a greeting, then answers each
 * request line with whatever lines the script returns for it (replies, events, garbage, nothing).
 * Serves one connection, like QEMU.
 */
final class FakeQmpServer implements AutoCloseable {

    static final String GREETING =
            "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}";

    private final ServerSocketChannel server;
    private final Thread thread;
    private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    private final Path socket;

    /**
     * @param greeting the first line, or null to send nothing at all
     * @param script lines to send for each request (the request as parsed JSON); null closes the connection
     */
    FakeQmpServer(Path socket, String greeting, Function<JsonObject, List<String>> script) throws IOException {
        this.socket = socket;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = Thread.ofVirtual().start(() -> serve(greeting, script));
    }

    /** Answers qmp_capabilities with success, every other command through {@code script}. */
    static Function<JsonObject, List<String>> afterCapabilities(Function<JsonObject, List<String>> script) {
        return request -> request.string("execute").equals("qmp_capabilities")
                ? List.of("{\"return\": {}, \"id\": " + Json.write(request.get("id")) + "}")
                : script.apply(request);
    }

    static String reply(JsonObject request, String returnJson) {
        return "{\"return\": " + returnJson + ", \"id\": " + Json.write(request.get("id")) + "}";
    }

    Path socket() {
        return socket;
    }

    List<JsonObject> requests() {
        return requests;
    }

    private void serve(String greeting, Function<JsonObject, List<String>> script) {
        try (SocketChannel client = server.accept()) {
            OutputStream out = Channels.newOutputStream(client);
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
            if (greeting == null) {
                in.readLine();
                return;
            }
            send(out, List.of(greeting));
            String line;
            while ((line = in.readLine()) != null) {
                JsonObject request = Json.parseObject(line);
                requests.add(request);
                List<String> answer = script.apply(request);
                if (answer == null) {
                    return;
                }
                send(out, answer);
            }
        } catch (IOException e) {
            // the client went away or the test closed the server
        }
    }

    private static void send(OutputStream out, List<String> lines) throws IOException {
        for (String line : lines) {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
