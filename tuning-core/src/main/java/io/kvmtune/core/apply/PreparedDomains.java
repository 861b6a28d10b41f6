package io.kvmtune.core.apply;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.files.AtomicFile;
import io.kvmtune.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@link PreparedDomain}s on disk, one file per domain UUID ({@code <uuid>.json}) under
 * {@code /run/kvmtune/domains}: tmpfs, so they vanish with the guests at reboot. Writes are
 * atomic ({@link AtomicFile}), so a hook killed at any moment leaves the old file or the new one.
 */
public final class PreparedDomains {

    /** libvirt writes UUIDs in this form; anything else must not reach a file name. */
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Path dir;

    public PreparedDomains(Path dir) {
        this.dir = dir;
    }

    /**
     * The file of domain {@code uuid}.
     *
     * @throws InvalidInputException ({@code InvalidDomainXml}, key {@code uuid}) for a UUID not in libvirt's form
     */
    public Path file(String uuid) {
        if (!UUID.matcher(uuid).matches()) {
            throw new InvalidInputException("InvalidDomainXml", "uuid", uuid,
                    "the domain <uuid> '" + uuid + "' is not a UUID (8-4-4-4-12 hexadecimal digits)");
        }
        return dir.resolve(uuid.toLowerCase(java.util.Locale.ROOT) + ".json");
    }

    /** Saves atomically, replacing the domain's earlier file. */
    public void save(PreparedDomain domain) {
        Path target = file(domain.uuid());
        byte[] bytes = (Json.pretty(domain) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.write(target, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the prepared plan " + target, e);
        }
    }

    /** What prepare decided for domain {@code uuid}, if it still holds. */
    public Optional<PreparedDomain> load(String uuid) {
        Path file = file(uuid);
        try {
            return Optional.of(PreparedDomain.fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the prepared plan " + file, e);
        }
    }

    /** Forgets domain {@code uuid}'s plan, if any. */
    public void delete(String uuid) {
        try {
            Files.deleteIfExists(file(uuid));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the prepared plan " + file(uuid), e);
        }
    }
}
