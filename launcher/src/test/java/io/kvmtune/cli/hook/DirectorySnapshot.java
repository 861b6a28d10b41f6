package io.kvmtune.cli.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything under a host directory (files with content and mode, directories, or the directory's
 * absence), so that a test that changes real host configuration puts back exactly what it found.
 */
public final class DirectorySnapshot {

    private record Entry(boolean directory, byte[] content, Set<PosixFilePermission> mode) {
        boolean same(Entry o) {
            return directory == o.directory && Arrays.equals(content, o.content) && mode.equals(o.mode);
        }
    }

    private final Path root;
    private final Map<Path, Entry> entries;

    private DirectorySnapshot(Path root, Map<Path, Entry> entries) {
        this.root = root;
        this.entries = entries;
    }

    public static DirectorySnapshot of(Path root) throws IOException {
        return new DirectorySnapshot(root, read(root));
    }

    /** Whether the directory is exactly as it was when the snapshot was taken. */
    public boolean unchanged() throws IOException {
        Map<Path, Entry> now = read(root);
        return now.keySet().equals(entries.keySet())
                && now.entrySet().stream().allMatch(e -> e.getValue().same(entries.get(e.getKey())));
    }

    /** Removes what was added, and writes back what was removed or changed. */
    public void restore() throws IOException {
        Map<Path, Entry> now = read(root);
        List<Path> added = now.keySet().stream().filter(p -> !entries.containsKey(p))
                .sorted(Comparator.comparingInt((Path p) -> p.toString().isEmpty() ? 0 : p.getNameCount()).reversed())
                .toList(); // deepest first, the root itself (the empty path) last
        for (Path p : added) {
            Files.delete(root.resolve(p));
        }
        for (Map.Entry<Path, Entry> e : entries.entrySet()) {
            Path target = root.resolve(e.getKey());
            Entry want = e.getValue();
            Entry have = now.get(e.getKey());
            if (have != null && have.same(want)) {
                continue;
            }
            if (want.directory()) {
                Files.createDirectories(target);
            } else {
                Files.write(target, want.content());
            }
            Files.setPosixFilePermissions(target, want.mode());
        }
    }

    private static Map<Path, Entry> read(Path root) throws IOException {
        Map<Path, Entry> entries = new TreeMap<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return entries;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                entries.put(root.relativize(p), new Entry(dir, dir ? new byte[0] : Files.readAllBytes(p),
                        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        return entries;
    }
}
