package io.kvmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * The host side of the operator scenarios on the real libvirtd ({@code Libvirt*OperatorIT}):
 * kvmtune's state (apply records, claims ledger, realtime budget book) in a directory of the
 * test's own through the {@code kvmtune.state} and {@code kvmtune.claims} properties, throwaway
 * domains started paused, and on {@link #close()} every domain destroyed and undefined and
 * {@code kvmtune restore --stale} run, so that the realtime runtime given to libvirt's groups
 * goes back to the host whatever the test did.
 */
final class OperatorHost implements AutoCloseable {

    static final Path CGROUP_CPU = Path.of("/sys/fs/cgroup/cpu");
    private static final Path START_LIBVIRTD = Path.of("../scripts/start-libvirtd").toAbsolutePath().normalize();

    private final Path dir;
    private final Path state;
    private final List<LibvirtTestDomain> domains = new ArrayList<>();
    private final String prefix = "kt-op-" + ProcessHandle.current().pid() + "-";

    private OperatorHost(Path dir) {
        this.dir = dir;
        this.state = dir.resolve("state");
        System.setProperty("kvmtune.state", state.toString());
        System.setProperty("kvmtune.claims", claimsFile().toString());
    }

    /** Skips the test with the reason when this host cannot run libvirt guests with realtime group scheduling. */
    static OperatorHost open(Path dir) {
        assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false), "needs root");
        assumeTrue(NativeAccess.isEnabled(), "native access is off: run with " + NativeAccess.enablingFlag());
        assumeTrue(Files.exists(CGROUP_CPU.resolve("cpu.rt_runtime_us")),
                "needs the cgroup v1 cpu controller with CONFIG_RT_GROUP_SCHED (cpu.rt_runtime_us)");
        assumeTrue(LibvirtTestDomain.libvirtAvailable(START_LIBVIRTD), "libvirtd is not running and "
                + START_LIBVIRTD + " could not start it");
        return new OperatorHost(dir);
    }

    Path claimsFile() {
        return state.resolve("claims.json");
    }

    Path recordFile(int pid) {
        return state.resolve("qemu-" + pid + ".json");
    }

    /** The host's online CPUs. */
    static CpuSet online() {
        return CpuSet.parse(read(Path.of("/sys/devices/system/cpu/online")));
    }

    /** A host configuration file with {@code body} (nova.conf syntax). */
    Path config(String body) {
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
        CommandRun stale = CommandRun.kvmtune("restore", "--stale");
        System.clearProperty("kvmtune.state");
        System.clearProperty("kvmtune.claims");
        assertThat(stale.status()).as("restore --stale after the test: " + stale.out() + stale.err()).isZero();
    }
}
