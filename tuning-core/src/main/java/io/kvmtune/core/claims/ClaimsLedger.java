package io.kvmtune.core.claims;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.files.AtomicFile;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which host pCPUs each running guest holds, shared by every kvmtune process on the host.
 *
 * <p>The ledger is one JSON file ({@code /run/kvmtune/claims.json} by default). Readers never
 * lock: every change writes a complete new file beside it, forces it to disk and renames it over
 * the old one, so a reader (or a kvmtune killed with SIGKILL at any instruction) only ever sees a
 * whole old or a whole new ledger. Writers serialise on an advisory lock of a separate
 * {@code .lock} file; the kernel drops that lock when its holder dies, so a killed writer never
 * blocks the next one.
 *
 * <p>Each transaction first drops stale claims: those bound to a process that is gone (pid absent
 * or reused, see {@link ProcessProbe}) and pending ones older than the grace period, whose start
 * never reached the {@code started} hook.
 *
 * <p>Thread-safe within one instance. Use one instance per ledger file per JVM: the JDK refuses a
 * second overlapping file lock from the same process.
 */
public final class ClaimsLedger {

    /** Where libvirt hooks and the command line keep the ledger unless told otherwise. */
    public static final Path DEFAULT_PATH = Path.of("/run/kvmtune/claims.json");

    /** How long a claim may stay pending (claimed by {@code prepare}, never bound by {@code started}). */
    public static final Duration DEFAULT_PENDING_GRACE = Duration.ofMinutes(10);

    private static final int FORMAT_VERSION = 1;

    private final Path file;
    private final Path lockFile;
    private final ProcessProbe probe;
    private final Clock clock;
    private final Duration pendingGrace;

    public ClaimsLedger(Path file, ProcessProbe probe, Clock clock, Duration pendingGrace) {
        this.file = file.toAbsolutePath();
        this.lockFile = siblingOf(this.file, ".lock");
        this.probe = probe;
        this.clock = clock;
        this.pendingGrace = pendingGrace;
    }

    /** The ledger at {@code file}, checking processes in {@code /proc}, with the default grace. */
    public static ClaimsLedger at(Path file) {
        return new ClaimsLedger(file, ProcFs.system()::stillSame, Clock.systemUTC(), DEFAULT_PENDING_GRACE);
    }

    public Path file() {
        return file;
    }

    /**
     * Every claim in the ledger as last written, stale ones included; empty when there is no
     * ledger yet. Takes no lock.
     */
    public List<Claim> read() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the claims ledger " + file, e);
        }
        return parse(text);
    }

    /** The pCPUs held by live claims, other than {@code exceptUuid}'s (may be null). Takes no lock. */
    public CpuSet claimedPcpus(String exceptUuid) {
        return union(live(read()), exceptUuid);
    }

    /**
     * Claims pCPUs for a domain, atomically with respect to every other kvmtune process.
     *
     * <p>Under the lock, stale claims are dropped and any earlier claim of the same domain is
     * replaced; then {@code choose} gets the pCPUs held by all other guests and returns the pCPUs
     * for this one (typically by running the planner). Whatever {@code choose} throws (such as
     * {@code DoesNotFitException}) propagates and the ledger is left as it was.
     *
     * A guest that pins nothing (an empty choice) holds no claim afterwards.
     *
     * @throws IllegalStateException when {@code choose} returns pCPUs another guest holds
     */
    public synchronized ClaimResult claim(String domainUuid, String domainName, Function<CpuSet, CpuSet> choose) {
        return transact(claims -> {
            List<Claim> reclaimed = dropStale(claims);
            claims.remove(domainUuid);
            CpuSet taken = union(claims.values(), null);
            CpuSet chosen = choose.apply(taken);
            if (chosen.intersects(taken)) {
                throw new IllegalStateException("pCPUs " + chosen.intersect(taken) + " chosen for " + domainName
                        + " are already claimed by another guest");
            }
            if (chosen.isEmpty()) {
                return new ClaimResult(Optional.empty(), reclaimed);
            }
            Claim claim = new Claim(domainUuid, domainName, chosen, Optional.empty(), clock.millis());
            claims.put(domainUuid, claim);
            return new ClaimResult(Optional.of(claim), reclaimed);
        });
    }

    /**
     * Binds a domain's claim to its QEMU process, so the claim lives as long as that process.
     *
     * @return the bound claim, or empty when the domain holds none
     */
    public synchronized Optional<Claim> bind(String domainUuid, ThreadIdentity qemu) {
        return transact(claims -> {
            dropStale(claims);
            Claim claim = claims.get(domainUuid);
            if (claim == null) {
                return Optional.empty();
            }
            Claim bound = claim.boundTo(qemu);
            claims.put(domainUuid, bound);
            return Optional.of(bound);
        });
    }

    /**
     * Gives back a domain's pCPUs.
     *
     * @return the released claim, or empty when the domain held none
     */
    public synchronized Optional<Claim> release(String domainUuid) {
        return transact(claims -> {
            dropStale(claims);
            return Optional.ofNullable(claims.remove(domainUuid));
        });
    }

    /**
     * Drops the claims of guests whose QEMU has exited and pending claims older than the grace
     * period, without claiming anything.
     *
     * @return the claims dropped, for the caller to log
     */
    public synchronized List<Claim> reclaimStale() {
        List<Claim> all = read();
        if (live(all).size() == all.size()) {
            return List.of(); // nothing stale: no lock, no write
        }
        return transact(this::dropStale);
    }

    private <T> T transact(Function<Map<String, Claim>, T> change) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockChannel.lock()) {
                List<Claim> before = read();
                Map<String, Claim> claims = new LinkedHashMap<>();
                for (Claim c : before) {
                    claims.put(c.domainUuid(), c);
                }
                T result = change.apply(claims);
                if (!List.copyOf(claims.values()).equals(before)) {
                    write(List.copyOf(claims.values()));
                }
                return result;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the claims ledger " + file, e);
        }
    }

    /**
     * {@link AtomicFile}: the rename is the commit point. Readable by everyone, so that
     * {@code kvmtune plan} run by any user sees the pCPUs guests hold.
     */
    private void write(List<Claim> claims) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", FORMAT_VERSION);
        doc.put("claims", claims);
        AtomicFile.write(file, (Json.pretty(doc) + "\n").getBytes(StandardCharsets.UTF_8), AtomicFile.Readers.EVERYONE);
    }

    private List<Claim> dropStale(Map<String, Claim> claims) {
        List<Claim> stale = new ArrayList<>();
        for (Claim c : claims.values()) {
            if (!isLive(c)) {
                stale.add(c);
            }
        }
        stale.forEach(c -> claims.remove(c.domainUuid()));
        return stale;
    }

    private boolean isLive(Claim c) {
        return c.process().isPresent()
                ? probe.isAlive(c.process().get())
                : clock.millis() - c.claimedAtMillis() < pendingGrace.toMillis();
    }

    private List<Claim> live(List<Claim> claims) {
        return claims.stream().filter(this::isLive).toList();
    }

    private static CpuSet union(Iterable<Claim> claims, String exceptUuid) {
        CpuSet all = CpuSet.empty();
        for (Claim c : claims) {
            if (!c.domainUuid().equals(exceptUuid)) {
                all = all.union(c.pcpus());
            }
        }
        return all;
    }

    private List<Claim> parse(String text) {
        try {
            JsonObject doc = Json.parseObject(text);
            int version = doc.intValue("version");
            if (version != FORMAT_VERSION) {
                throw new JsonException("$.version " + version + " is not " + FORMAT_VERSION, -1);
            }
            return doc.objects("claims").stream().map(Claim::fromJson).toList();
        } catch (JsonException | IllegalArgumentException | ClassCastException | ArithmeticException e) {
            throw new InvalidInputException("InvalidClaims", "claims", file.toString(),
                    "the claims ledger " + file + " is not valid: " + e.getMessage(), e);
        }
    }

    private static Path siblingOf(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
