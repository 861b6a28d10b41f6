package io.kvmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.LibvirtTestDomain;
import io.kvmtune.core.claims.Claim;
import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.linux.NativeAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host side of the operator scenarios on the real libvirtd ({@code Libvirt*IT} of this
 * package): the host's CPUs split into a shared one (the first) and a dedicated one (the last),
 * kvmtune's state (apply records, claims ledger, realtime budget book) in a directory of the
 * test's own, handed to every command run through {@link #kvmtune}, throwaway domains started
 * paused, and on {@link #close()} every domain destroyed and undefined and
 * {@code kvmtune restore --stale} run, so that the realtime runtime given to libvirt's groups goes
 * back to the host whatever the test did.
 */
final class OperatorHost implements AutoCloseable {

    static final Path CGROUP_CPU = Path.of("/sys/fs/cgroup/cpu");
    private static final Path START_LIBVIRTD = Path.of("../scripts/start-libvirtd").toAbsolutePath().normalize();

    private final Path dir;
    private final HookSettings hostState;
    private final int shared;
    private final int dedicated;
    private final List<LibvirtTestDomain> domains = new ArrayList<>();
    private final String prefix = "kt-op-" + ProcessHandle.current().pid() + "-";

    private OperatorHost(Path dir, int shared, int dedicated) {
        this.dir = dir;
        this.shared = shared;
        this.dedicated = dedicated;
        Path state = dir.resolve("state");
        HookSettings host = HookSettings.fromSystemProperties();
        this.hostState = new HookSettings(state.resolve("claims.json"), host.configFile(), host.libvirtRunDir(),
                host.procRoot(), host.fsRoot(), host.syslogSocket(), state);
    }

    /**
     * Skips the test with the reason when this host cannot run libvirt guests with realtime group
     * scheduling, or has fewer than 2 CPUs to split into a shared and a dedicated one.
     */
    static OperatorHost open(Path dir) {
        assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false), "needs root");
        assumeTrue(NativeAccess.isEnabled(), "native access is off: run with " + NativeAccess.enablingFlag());
        assumeTrue(Files.exists(CGROUP_CPU.resolve("cpu.rt_runtime_us")),
                "needs the cgroup v1 cpu controller with CONFIG_RT_GROUP_SCHED (cpu.rt_runtime_us)");
        assumeTrue(LibvirtTestDomain.libvirtAvailable(START_LIBVIRTD), "libvirtd is not running and "
                + START_LIBVIRTD + " could not start it");
        CpuSet online = CpuSet.parse(read(Path.of("/sys/devices/system/cpu/online")));
        assumeTrue(online.size() >= 2, "needs 2 CPUs: one shared, one dedicated");
        return new OperatorHost(dir, online.first(), online.last());
    }

    /** The pCPU of {@code cpu_shared_set}. */
    int shared() {
        return shared;
    }

    /** The pCPU of {@code cpu_dedicated_set}. */
    int dedicated() {
        return dedicated;
    }

    /** The kvmtune command line, run in-process against this host's state. */
    CommandRun kvmtune(String... args) {
        return CommandRun.kvmtune(hostState, args);
    }

    Path claimsFile() {
        return hostState.claimsFile();
    }

    Path recordFile(int pid) {
        return hostState.records().file(pid);
    }

    /**
     * A host configuration file (nova.conf syntax): {@code [compute]} with the shared and the
     * dedicated pCPU, then {@code more} (further sections).
     */
    Path config(String more) {
        String body = "[compute]\ncpu_shared_set = " + shared + "\ncpu_dedicated_set = " + dedicated + "\n" + more;
        try {
            return Files.writeString(dir.resolve("kvmtune-" + Integer.toHexString(body.hashCode()) + ".conf"), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The full domain name for the short {@code name}. */
    String name(String name) {
        return prefix + name;
    }

    /** Defines domain {@code name} (short) with {@code elements} (see {@link LibvirtTestDomain#domainXml}) and starts it paused. */
    LibvirtTestDomain start(String name, String elements) {
        LibvirtTestDomain d = LibvirtTestDomain.startPaused(name(name),
                LibvirtTestDomain.domainXml(name(name), elements), dir);
        domains.add(d);
        return d;
    }

    /** Defines domain {@code name} (short) from the whole {@code xml} (its name replaced) and starts it paused. */
    LibvirtTestDomain startXml(String name, String xml) {
        String full = xml.replaceFirst("<name>[^<]*</name>", "<name>" + name(name) + "</name>");
        LibvirtTestDomain d = LibvirtTestDomain.define(name(name), full, dir);
        domains.add(d);
        LibvirtTestDomain.Result started = d.start();
        assertThat(started.exitCode()).as("virsh start " + name(name) + ": " + started.output()).isZero();
        return d;
    }

    /** Defines domain {@code name} (short) without starting it. */
    LibvirtTestDomain define(String name, String elements) {
        LibvirtTestDomain d = LibvirtTestDomain.define(name(name), LibvirtTestDomain.domainXml(name(name), elements), dir);
        domains.add(d);
        return d;
    }

    Optional<Claim> claimOf(String uuidOrKey) {
        return ClaimsLedger.at(claimsFile()).read().stream().filter(c -> c.domainUuid().equals(uuidOrKey)).findFirst();
    }

    List<Claim> claims() {
        return ClaimsLedger.at(claimsFile()).read();
    }

    /** {@code cpu.rt_runtime_us} of the cpu group {@code relative} ({@code machine}, {@code machine/qemu-...}). */
    static long rtRuntime(String relative) {
        return Long.parseLong(read(CGROUP_CPU.resolve(relative).resolve("cpu.rt_runtime_us")));
    }

    static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        domains.reversed().forEach(LibvirtTestDomain::close);
        CommandRun stale = kvmtune("restore", "--stale");
        assertThat(stale.status()).as("restore --stale after the test: " + stale.out() + stale.err()).isZero();
    }
}
