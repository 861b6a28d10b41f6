package io.kvmtune.cli.hook;

import io.kvmtune.core.apply.PreparedDomains;
import io.kvmtune.cli.ConfigLocation;
import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.QemuDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the hook and the commands that act on running guests read and write host state. libvirt
 * runs hooks with a minimal environment and fixed arguments, so the defaults are the real host
 * paths; tests and unusual installs override them with {@code -Dkvmtune.*} system properties on
 * the JVM command line.
 *
 * @param claimsFile the claims ledger ({@code kvmtune.claims})
 * @param configFile host configuration in nova.conf syntax ({@code kvmtune.config}, else CLI.md's
 *     default chain), if any
 * @param libvirtRunDir libvirt's QEMU state directory with {@code NAME.pid} and {@code NAME.xml}
 *     ({@code kvmtune.libvirt.run})
 * @param procRoot the proc mount ({@code kvmtune.proc})
 * @param fsRoot the directory holding {@code sys/} for the host topology ({@code kvmtune.root})
 * @param syslogSocket the syslog socket ({@code kvmtune.syslog}); logging there is best effort
 * @param stateDir where apply records and the plans {@code prepare} decided are kept
 *     ({@code kvmtune.state}, default {@code /run/kvmtune})
 */
public record HookSettings(Path claimsFile, Optional<Path> configFile, Path libvirtRunDir, Path procRoot,
        Path fsRoot, Path syslogSocket, Path stateDir) {

    /** The bound on connecting to a QMP socket and on each command. */
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(5);

    public static HookSettings fromSystemProperties() {
        return new HookSettings(
                path("kvmtune.claims", ClaimsLedger.DEFAULT_PATH.toString()),
                ConfigLocation.resolve(Optional.ofNullable(System.getProperty("kvmtune.config")).map(Path::of),
                        Files::isRegularFile),
                path("kvmtune.libvirt.run", "/run/libvirt/qemu"),
                path("kvmtune.proc", "/proc"),
                path("kvmtune.root", "/"),
                path("kvmtune.syslog", "/dev/log"),
                path("kvmtune.state", RecordStore.DEFAULT_DIR.toString()));
    }

    /** libvirt's persistent domain definitions ({@code kvmtune.libvirt.config}, default {@code /etc/libvirt/qemu}). */
    public Path libvirtConfigDir() {
        return path("kvmtune.libvirt.config", "/etc/libvirt/qemu");
    }

    /** The apply records, one per QEMU process, for {@code verify} and {@code restore}. */
    public RecordStore records() {
        return new RecordStore(stateDir);
    }

    /** The plans {@code prepare} decided, one per domain, until {@code release}. */
    public PreparedDomains prepared() {
        return new PreparedDomains(stateDir.resolve("domains"));
    }

    /** Thread discovery reading {@link #procRoot} and libvirt's status files in {@link #libvirtRunDir}. */
    public QemuDiscovery discovery() {
        return new QemuDiscovery(new ProcFs(procRoot), libvirtRunDir, QMP_TIMEOUT);
    }

    /** The claims ledger, checking claim holders in {@link #procRoot}. */
    public ClaimsLedger ledger() {
        return new ClaimsLedger(claimsFile, new ProcFs(procRoot)::stillSame, Clock.systemUTC(),
                ClaimsLedger.DEFAULT_PENDING_GRACE);
    }

    private static Path path(String property, String fallback) {
        return Path.of(System.getProperty(property, fallback));
    }
}
