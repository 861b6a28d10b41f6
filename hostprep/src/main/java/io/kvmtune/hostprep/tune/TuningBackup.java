package io.kvmtune.hostprep.tune;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record of every value {@code apply} replaced ({@code /var/lib/kvmtune/hostprep-backup.json}),
 * written atomically (temporary file, fsync, rename, fsync of the directory) before the first
 * change, so a crash at any point leaves either the old record or the new one.
 *
 * <p>A second apply before a restore keeps the first apply's original value of a file it touches
 * again: restore always goes back to the host as it was before kvmtune.
 *
 * @param entries the replaced settings in application order; {@code before} is the original value
 */
public record TuningBackup(List<TunableChange> entries) {

    private static final int VERSION = 1;

    public TuningBackup {
        entries = List.copyOf(entries);
    }

    public static TuningBackup empty() {
        return new TuningBackup(List.of());
    }

    /**
     * Reads the record, or empty when there is none.
     *
     * @throws InvalidInputException naming the file when it is not a backup kvmtune wrote
     */
    public static Optional<TuningBackup> load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            JsonObject root = Json.parseObject(text);
            if (root.intValue("version") != VERSION) {
                throw InvalidInputException.invalid("backup", file.toString(),
                        "backup: " + file + " has version " + root.intValue("version") + ", expected " + VERSION);
            }
            return Optional.of(new TuningBackup(root.objects("entries").stream().map(TunableChange::fromJson).toList()));
        } catch (JsonException | IllegalArgumentException e) {
            throw new InvalidInputException("Invalid", "backup", file.toString(),
                    "backup: " + file + " is not a kvmtune hostprep backup: " + e.getMessage(), e);
        }
    }

    /** This record plus {@code more}, keeping the first recorded original of a path seen twice. */
    public TuningBackup plus(List<TunableChange> more) {
        Map<String, TunableChange> byPath = new LinkedHashMap<>();
        entries.forEach(e -> byPath.put(e.path(), e));
        for (TunableChange c : more) {
            byPath.merge(c.path(), c, (old, now) -> new TunableChange(old.id(), old.path(), old.format(), old.before(), now.after()));
        }
        return new TuningBackup(new ArrayList<>(byPath.values()));
    }

    /** This record without the entries for {@code paths}. */
    public TuningBackup without(List<String> paths) {
        return new TuningBackup(entries.stream().filter(e -> !paths.contains(e.path())).toList());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Writes atomically; an empty record deletes the file. */
    public void save(Path file) throws IOException {
        if (entries.isEmpty()) {
            Files.deleteIfExists(file);
            syncDirectory(file);
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", VERSION);
        root.put("entries", entries);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap((Json.pretty(root) + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(file);
    }

    private static void syncDirectory(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir)) {
            // Makes the rename itself durable; Linux lets a directory be opened read-only and fsynced.
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }
}
