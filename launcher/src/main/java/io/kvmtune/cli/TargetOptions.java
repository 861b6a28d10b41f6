package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.qemu.DiscoveredGuest;
import io.kvmtune.core.qemu.DomainName;
import io.kvmtune.core.qemu.LibvirtStatus;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which running guest a command acts on: {@code --pid PID} or {@code --domain NAME}, exactly one.
 * A libvirt domain is found through libvirt's status file, never through libvirt's QMP socket,
 * which libvirt holds.
 */
public final class TargetOptions {

    @Option(names = "--pid", paramLabel = "PID", required = true, description = "The QEMU process id.")
    Integer pid;

    @Option(names = "--domain", paramLabel = "NAME", required = true, description = "The libvirt domain name.")
    String domain;

    /** Discovers the guest's threads, cross-checked between thread names, QMP and libvirt's status file. */
    DiscoveredGuest discover(HookSettings paths, Optional<Path> qmp, boolean force) {
        return domain != null
                ? paths.discovery().discoverDomain(new DomainName(domain), qmp, force)
                : paths.discovery().discover(pid, qmp, force);
    }

    /** The QEMU process id: as given, or the running domain's from libvirt's status file. */
    int pid(HookSettings paths) {
        return domain != null ? LibvirtStatus.read(paths.libvirtRunDir(), new DomainName(domain)).pid() : pid;
    }
}
