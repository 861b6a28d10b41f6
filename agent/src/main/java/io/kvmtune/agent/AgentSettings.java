package io.kvmtune.agent;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.spec.IniConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the agent runs: the {@code [agent]} section of the host configuration, and where host state
 * lives (the same paths the libvirt hook uses).
 *
 * @param metricsListen where {@code /metrics} is served ({@code metrics_listen}, default
 *     {@code 127.0.0.1:9477}); empty when metrics are disabled ({@code metrics_listen =})
 * @param drift what to do about drift ({@code drift}, default {@code repair})
 * @param hotplugRuntime when the realtime vCPUs not plugged in yet get their runtime
 *     ({@code hotplug_runtime}, default {@code ahead})
 * @param eventPriority the SCHED_FIFO priority of the thread that receives the kernel's events and
 *     tunes threads ({@code event_priority}, default 1; 0 leaves it SCHED_OTHER); see
 *     {@link EventThreadPriority}
 * @param checkInterval how often every tuned thread is read back ({@code check_interval_ms},
 *     default 1000)
 * @param stateDir apply records, kept plans ({@code domains/}), locks and the status socket
 * @param libvirtRunDir libvirt's QEMU status directory
 * @param procRoot the proc mount
 * @param claimsFile the claims ledger
 */
public record AgentSettings(Optional<InetSocketAddress> metricsListen, DriftMode drift,
        HotplugRuntime hotplugRuntime, int eventPriority, Duration checkInterval, Path stateDir, Path libvirtRunDir,
        Path procRoot, Path claimsFile) {

    public static final String SECTION = "agent";
    static final String DEFAULT_LISTEN = "127.0.0.1:9477";
    private static final long MIN_INTERVAL_MS = 10;
    private static final long MAX_INTERVAL_MS = 3_600_000;
    static final int DEFAULT_EVENT_PRIORITY = 1;

    /** The root-only UNIX socket {@code kvmtune agent status} asks. */
    public Path statusSocket() {
        return stateDir.resolve("agent.sock");
    }

    /**
     * The settings {@code config}'s {@code [agent]} section gives, with the state paths.
     *
     * @throws InvalidInputException naming the key for a value that cannot be used
     */
    public static AgentSettings of(IniConfig config, Path stateDir, Path libvirtRunDir, Path procRoot,
            Path claimsFile) {
        String listen = config.get(SECTION, "metrics_listen").orElse(DEFAULT_LISTEN).strip();
        DriftMode drift = config.get(SECTION, "drift").map(DriftMode::of).orElse(DriftMode.REPAIR);
        HotplugRuntime hotplug = config.get(SECTION, "hotplug_runtime").map(HotplugRuntime::of)
                .orElse(HotplugRuntime.AHEAD);
        long ms = wholeNumber(config, "check_interval_ms", 1000, MIN_INTERVAL_MS, MAX_INTERVAL_MS,
                "must be a whole number of milliseconds");
        int priority = (int) wholeNumber(config, "event_priority", DEFAULT_EVENT_PRIORITY, EventThreadPriority.NONE,
                EventThreadPriority.MAX, "must be a SCHED_FIFO priority, or 0 for none");
        return new AgentSettings(listen.isEmpty() ? Optional.empty() : Optional.of(listenAddress(listen)), drift,
                hotplug, priority, Duration.ofMillis(ms), stateDir, libvirtRunDir, procRoot, claimsFile);
    }

    /** The whole number {@code key} says, {@code fallback} when it is absent; {@code what} says what it must be. */
    private static long wholeNumber(IniConfig config, String key, long fallback, long min, long max, String what) {
        String value = config.get(SECTION, key).orElse(Long.toString(fallback)).strip();
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw InvalidInputException.invalid("[agent] " + key, value, what);
        }
        if (n < min || n > max) {
            throw InvalidInputException.invalid("[agent] " + key, value, "must be between " + min + " and " + max);
        }
        return n;
    }

    /** {@code host:port}, {@code [v6addr]:port}; the host must be a literal address, never a name to resolve. */
    static InetSocketAddress listenAddress(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw InvalidInputException.invalid("[agent] metrics_listen", value, "must be host:port, e.g. " + DEFAULT_LISTEN);
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw InvalidInputException.invalid("[agent] metrics_listen", value, "the port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw InvalidInputException.invalid("[agent] metrics_listen", value, "the port must be 1..65535");
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw InvalidInputException.invalid("[agent] metrics_listen", value,
                    "the host must be an IP address (127.0.0.1, ::1, or an address of this host), not a name");
        }
        return new InetSocketAddress(host, port);
    }
}
