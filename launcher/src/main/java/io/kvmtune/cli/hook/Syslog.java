package io.kvmtune.cli.hook;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Best-effort syslog for hook log lines; never fails the hook.
 *
 * <p>The JDK's UNIX-domain channels are stream-only (JDK 25 has no UNIX datagram channel), so a
 * stream {@code /dev/log} (syslog-ng's {@code unix-stream}) is written directly. The common
 * datagram {@code /dev/log} of rsyslog and journald refuses a stream connection; then the line
 * goes through {@code logger(1)}, started with every stream detached so that libvirt, which
 * waits for EOF on the hook's stdout and stderr, is never held up by it.
 */
final class Syslog {

    /** facility daemon (3) * 8. */
    private static final int DAEMON = 3 << 3;
    static final int NOTICE = 5;
    static final int ERR = 3;

    private final Path socket;

    Syslog(Path socket) {
        this.socket = socket;
    }

    void send(int severity, String line) {
        if (!Files.exists(socket)) {
            return;
        }
        String tag = "kvmtune[" + ProcessHandle.current().pid() + "]";
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer msg = ByteBuffer.wrap(("<" + (DAEMON | severity) + ">" + tag + ": " + line + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            while (msg.hasRemaining()) {
                ch.write(msg);
            }
        } catch (IOException streamRefused) {
            viaLogger(severity, tag, line);
        }
    }

    private void viaLogger(int severity, String tag, String line) {
        try {
            new ProcessBuilder(List.of("logger", "-u", socket.toString(), "-t", tag,
                    "-p", "daemon." + (severity == ERR ? "err" : "notice"), "--", line))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException noLogger) {
            // Best effort: the line is already on stderr, which libvirt logs.
        }
    }
}
