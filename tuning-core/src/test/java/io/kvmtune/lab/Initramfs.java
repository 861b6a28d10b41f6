package io.kvmtune.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds, at test time, the small initramfs that boots a lab kernel into the host's own root
 * filesystem: busybox, the virtio and 9p modules (loaded with insmod: the package has no
 * modules.dep here), and an {@code /init} that mounts the host root read-only over 9p, gives it
 * writable tmpfs, fresh proc/sys/dev and cgroup2 with cpuset and cpu enabled, mounts the results
 * share, runs {@code run.sh} from it inside a chroot and powers off.
 */
final class Initramfs {

    /** In dependency order; insmod is retried in rounds anyway, since the order is not promised. */
    static final List<String> MODULES = List.of("virtio", "virtio_ring", "virtio_pci_modern_dev",
            "virtio_pci_legacy_dev", "virtio_pci", "netfs", "fscache", "9pnet", "9pnet_virtio", "9p");

    /** Where the results share appears inside the chroot. */
    static final String GUEST_RESULTS = "/run/lab-results";

    private Initramfs() {
    }

    static Path build(LabKernel kernel, Path busybox, Path workDir) throws IOException, InterruptedException {
        Path tree = workDir.resolve("initramfs");
        LabCommands.deleteTree(tree);
        for (String d : List.of("bin", "dev", "proc", "sys", "host", "modules")) {
            Files.createDirectories(tree.resolve(d));
        }
        Files.copy(busybox, tree.resolve("bin/busybox"));
        for (String module : MODULES) {
            Path ko = findModule(kernel.modules(), module)
                    .orElseThrow(() -> new IOException("module " + module + ".ko not in " + kernel.modules()));
            Files.copy(ko, tree.resolve("modules").resolve(ko.getFileName()));
        }
        Path init = tree.resolve("init");
        Files.writeString(init, initScript());
        Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
        return pack(tree, workDir.resolve("initrd-" + kernel.release() + ".gz"));
    }

    /**
     * An initramfs whose {@code /init} only keeps the guest up: it prints {@link #IDLE_READY} and
     * then, every 0.2 s, the guest's online CPUs ({@code online 0-1}) on the console, so that a
     * test sees the guest give up a vCPU that is unplugged.
     */
    static Path idle(Path busybox, Path workDir) throws IOException, InterruptedException {
        Path tree = workDir.resolve("idle-initramfs");
        LabCommands.deleteTree(tree);
        for (String d : List.of("bin", "dev", "proc", "sys")) {
            Files.createDirectories(tree.resolve(d));
        }
        Files.copy(busybox, tree.resolve("bin/busybox"));
        Path init = tree.resolve("init");
        Files.writeString(init, """
                #!/bin/busybox sh
                /bin/busybox --install -s /bin
                mount -t proc proc /proc
                mount -t sysfs sys /sys
                echo "%s"
                while true; do
                  echo "online $(cat /sys/devices/system/cpu/online)"
                  sleep 0.2
                done
                """.formatted(IDLE_READY));
        Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
        return pack(tree, workDir.resolve("initrd-idle.gz"));
    }

    /** What {@link #idle}'s init prints once the guest's kernel has started it. */
    static final String IDLE_READY = "KVMTUNE-GUEST-READY";

    private static Path pack(Path tree, Path image) throws IOException, InterruptedException {
        LabCommands.run(List.of("sh", "-c", "find . | cpio -o -H newc --quiet | gzip -1 > '" + image + "'"), tree);
        return image;
    }

    private static Optional<Path> findModule(Path modules, String name) throws IOException {
        try (Stream<Path> files = Files.walk(modules)) {
            // Debian 12's kernel packages ship uncompressed modules, which busybox insmod loads as they are.
            return files.filter(p -> p.getFileName().toString().equals(name + ".ko")).findFirst();
        }
    }

    private static String initScript() {
        return """
                #!/bin/busybox sh
                /bin/busybox --install -s /bin
                mount -t proc proc /proc
                mount -t sysfs sys /sys
                mount -t devtmpfs dev /dev
                for round in 1 2 3 4 5; do
                  for m in /modules/*.ko; do insmod "$m" 2>/dev/null; done
                done
                fail() { echo "LAB-INIT-FAILED: $*"; poweroff -f; }
                mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot /host || fail "host root"
                # A writable /tmp for the tests, keeping the directories the class path needs from the
                # host's /tmp (a CI clone may live there), named by kvmtune.tmpbind= on the command line.
                mkdir -p /hosttmp
                mount -o bind /host/tmp /hosttmp || fail "host /tmp"
                mount -t tmpfs tmp /host/tmp
                for arg in $(cat /proc/cmdline); do
                  case "$arg" in
                    kvmtune.tmpbind=/tmp/*)
                      dir=${arg#kvmtune.tmpbind=}
                      mkdir -p "/host$dir"
                      mount -o bind "/hosttmp${dir#/tmp}" "/host$dir" || fail "bind $dir"
                      ;;
                  esac
                done
                mount -t tmpfs run /host/run
                mkdir -p /host%1$s
                mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results /host%1$s || fail "results share"
                mount -t proc proc /host/proc
                mount -t sysfs sys /host/sys
                mount -t devtmpfs dev /host/dev
                mount -t cgroup2 none /host/sys/fs/cgroup || fail "cgroup2"
                echo "+cpuset +cpu" > /host/sys/fs/cgroup/cgroup.subtree_control
                chroot /host /bin/sh %1$s/run.sh > /host%1$s/%2$s 2>&1
                echo "LAB-EXIT $?"
                poweroff -f
                """.formatted(GUEST_RESULTS, LabVm.GUEST_LOG);
    }
}
