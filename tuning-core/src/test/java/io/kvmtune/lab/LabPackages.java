package io.kvmtune.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian's kernel and busybox packages for the kernel lab, fetched with {@code apt-get download}
 * into a cache outside the repository and unpacked there once.
 *
 * <p>The kernel version is the one Debian's meta-package ({@code linux-image-amd64} or
 * {@code linux-image-rt-amd64}) points at today, in its {@code -unsigned} build (the signed one
 * only adds a secure-boot signature and pulls more packages). Nothing binary enters the repo.
 */
final class LabPackages {

    /** Where packages are kept between runs on one machine; a property moves it. */
    static Path cacheDir() {
        return Path.of(System.getProperty("kvmtune.lab.cache", "/var/cache/kvmtune-lab"));
    }

    private final Path cache;

    LabPackages(Path cache) {
        this.cache = cache;
    }

    /** The unpacked kernel of {@code flavour} ("amd64" or "rt-amd64"), downloading it if needed. */
    LabKernel kernel(String flavour) throws IOException, InterruptedException {
        String image = dependencyOf("linux-image-" + flavour);
        String unsigned = image + "-unsigned";
        Path root = unpacked(unsigned);
        Path boot = root.resolve("boot");
        Path vmlinuz;
        try (Stream<Path> files = Files.list(boot)) {
            vmlinuz = files.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).findFirst()
                    .orElseThrow(() -> new IOException("no vmlinuz in " + boot));
        }
        String release = vmlinuz.getFileName().toString().substring("vmlinuz-".length());
        return new LabKernel(flavour, release, vmlinuz, root.resolve("lib/modules").resolve(release));
    }

    /** The statically linked busybox binary. */
    Path busybox() throws IOException, InterruptedException {
        Path bin = unpacked("busybox-static").resolve("bin/busybox");
        if (!Files.isExecutable(bin)) {
            throw new IOException("busybox-static unpacked without bin/busybox: " + bin);
        }
        return bin;
    }

    private Path unpacked(String pkg) throws IOException, InterruptedException {
        Path dir = cache.resolve("unpacked").resolve(pkg);
        Path done = dir.resolve(".unpacked");
        if (Files.exists(done)) {
            return dir;
        }
        Path deb = download(pkg);
        Path tmp = cache.resolve("unpacked").resolve(pkg + ".tmp");
        LabCommands.deleteTree(tmp);
        Files.createDirectories(tmp);
        LabCommands.run(List.of("dpkg-deb", "-x", deb.toString(), tmp.toString()), cache);
        Files.createFile(tmp.resolve(".unpacked"));
        LabCommands.deleteTree(dir);
        Files.move(tmp, dir);
        return dir;
    }

    private Path download(String pkg) throws IOException, InterruptedException {
        Path debs = cache.resolve("debs");
        Files.createDirectories(debs);
        Optional<Path> cached = findDeb(debs, pkg);
        if (cached.isPresent()) {
            return cached.get();
        }
        // apt's sandbox user cannot write a root-owned cache; it then downloads as root, which is what we want.
        LabCommands.run(List.of("apt-get", "download", "-q", pkg), debs);
        return findDeb(debs, pkg).orElseThrow(() -> new IOException("apt-get download " + pkg + " left no .deb in " + debs));
    }

    private static Optional<Path> findDeb(Path dir, String pkg) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(pkg + "_")
                    && p.getFileName().toString().endsWith(".deb")).findFirst();
        }
    }

    /** The versioned image package a Debian meta-package depends on, e.g. linux-image-6.1.0-56-amd64. */
    private String dependencyOf(String meta) throws IOException, InterruptedException {
        String out = LabCommands.run(List.of("apt-cache", "depends", meta), cache);
        return out.lines().map(String::strip).filter(l -> l.startsWith("Depends: linux-image-"))
                .map(l -> l.substring("Depends: ".length())).findFirst()
                .orElseThrow(() -> new IOException("apt-cache depends " + meta
                        + " names no linux-image package (run apt-get update first):\n" + out));
    }
}
