package io.kvmtune.core.cgroup;

import io.kvmtune.core.files.KernelFile;
import io.kvmtune.core.qemu.ProcCgroup;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.linux.DirectoryEntry;
import io.kvmtune.linux.LinuxException;
import io.kvmtune.linux.RawFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Reads and writes cgroup control files as plain files below a configurable root, and finds a
 * thread's groups from {@code /proc}.
 *
 * <p>Both roots are parameters so that tests run the same code against fake trees in a temporary
 * directory. Hierarchies are found by the directory layout every distribution uses: a v1
 * controller under {@code <root>/<controllers>} (or a per-controller symlink such as {@code cpu}
 * for {@code cpu,cpuacct}), v2 at {@code <root>} itself when it holds {@code cgroup.controllers},
 * else at {@code <root>/unified} (hybrid hosts).
 */
public final class CgroupFs {

    /**
     * The control files the kernel makes a record at a time, read to their end; it makes every
     * other one at once, and one read of it is the whole file ({@link KernelFile#readAtOnce}).
     */
    private static final Set<String> LISTS = Set.of("tasks", "cgroup.procs", "cgroup.threads");

    private final ProcFs proc;
    private final Path cgroupRoot;
    /**
     * The directory of each v1 hierarchy below the root, by the controllers {@code /proc} names
     * for it ({@code cpu,cpuacct}): how the host mounted them does not change while it runs, and
     * finding it cost a {@code stat} on every lookup of a thread's group.
     */
    private final Map<String, String> v1Mounts = new ConcurrentHashMap<>();

    public CgroupFs(ProcFs proc, Path cgroupRoot) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
    }

    /** This host's {@code /proc} and {@code /sys/fs/cgroup}. */
    public static CgroupFs system() {
        return new CgroupFs(ProcFs.system(), Path.of("/sys/fs/cgroup"));
    }

    /** The groups of thread {@code tid} of process {@code pid}, or empty when the thread is gone. */
    public Optional<List<ProcCgroup>> membership(int pid, int tid) {
        return proc.taskCgroups(pid, tid);
    }

    /**
     * The group of {@code membership} that {@code controller} (such as {@code cpuset} or
     * {@code cpu}) acts on: the controller's v1 hierarchy if it has one, else the unified
     * hierarchy when the controller is enabled in that group. Empty when the controller is not
     * available to this task.
     */
    public Optional<CgroupGroup> group(List<ProcCgroup> membership, String controller) {
        Optional<ProcCgroup> v1 = membership.stream()
                .filter(e -> !e.isUnified() && e.controllers().contains(controller)).findFirst();
        if (v1.isPresent()) {
            String hierarchy = v1Mount(v1.get(), controller);
            CgroupGroup group = new CgroupGroup(hierarchy, v1.get().path(), false);
            return Files.isDirectory(dir(group)) ? Optional.of(group) : Optional.empty();
        }
        Optional<ProcCgroup> unified = membership.stream().filter(ProcCgroup::isUnified).findFirst();
        if (unified.isEmpty()) {
            return Optional.empty();
        }
        String hierarchy = Files.exists(cgroupRoot.resolve("cgroup.controllers")) ? "" : "unified";
        CgroupGroup group = new CgroupGroup(hierarchy, unified.get().path(), true);
        Optional<String> enabled = readIfPresent(group.file("cgroup.controllers"));
        return enabled.isPresent() && List.of(enabled.get().strip().split("\\s+")).contains(controller)
                ? Optional.of(group) : Optional.empty();
    }

    private String v1Mount(ProcCgroup entry, String controller) {
        String joined = String.join(",", entry.controllers());
        return v1Mounts.computeIfAbsent(joined + ":" + controller,
                k -> Files.isDirectory(cgroupRoot.resolve(joined)) ? joined : controller);
    }

    /** Whether the group's directory still exists. */
    public boolean exists(CgroupGroup group) {
        return Files.isDirectory(dir(group));
    }

    /** Whether the group has this control file (a controller's files appear only where it is enabled). */
    public boolean has(CgroupFile file) {
        return Files.exists(path(file));
    }

    /** The file's content without the trailing newline. */
    public String read(CgroupFile file) {
        return readIfPresent(file).orElseThrow(() -> new CgroupException(file, "cannot read " + file
                + ": the group or file does not exist", true, null));
    }

    /** The file's content without the trailing newline, or empty when the group or file does not exist. */
    public Optional<String> readIfPresent(CgroupFile file) {
        try {
            Path p = path(file);
            return (LISTS.contains(file.name()) ? KernelFile.read(p) : KernelFile.readAtOnce(p)).map(String::strip);
        } catch (IOException e) {
            throw new CgroupException(file, "cannot read " + file + ": " + reason(e), false, e);
        }
    }

    /**
     * Writes {@code value} with a single {@code write(2)}, as cgroupfs expects; the kernel's
     * refusal is reported with its reason (Invalid argument, Device or resource busy, ...).
     */
    public void write(CgroupFile file, String value) {
        Path p = path(file);
        try {
            // TRUNCATE_EXISTING is ignored by cgroupfs and keeps fake trees in tests exact.
            Files.write(p, (value + "\n").getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new CgroupException(file, "cannot write '" + value + "' to " + file
                    + ": the group or file does not exist", true, e);
        } catch (IOException e) {
            throw new CgroupException(file, "cannot write '" + value + "' to " + file + ": " + reason(e), false, e);
        }
    }

    /**
     * Makes the group's directory, as libvirt would, in a hierarchy where the kernel fills it with
     * its control files.
     *
     * @return whether this call made it ({@code false}: it was there already, libvirt's or ours)
     */
    public boolean create(CgroupGroup group) {
        try {
            Files.createDirectory(dir(group));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new CgroupException(null, "cannot create the group " + group + ": " + reason(e), e instanceof NoSuchFileException, e);
        }
    }

    /**
     * Removes an empty group made by {@link #create}. The kernel refuses while tasks or child groups
     * are in it (then libvirt uses it and keeps it); that refusal is the answer, not an error.
     *
     * @return whether it is gone
     */
    public boolean removeIfUnused(CgroupGroup group) {
        try {
            Files.deleteIfExists(dir(group));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The groups directly inside {@code group}. */
    public List<CgroupGroup> children(CgroupGroup group) {
        return children(group, name -> true);
    }

    /**
     * The groups directly inside {@code group} whose names {@code named} accepts. A v1 group
     * holds some 20 control files besides its children: the listing's entry types
     * ({@link RawFiles#entries}) tell them apart without a {@code stat} each, except on a file
     * system that does not store types (a fake tree on one, in a test).
     */
    public List<CgroupGroup> children(CgroupGroup group, Predicate<String> named) {
        Path dir = dir(group);
        List<DirectoryEntry> entries;
        try {
            entries = RawFiles.entries(dir.toString()).orElse(List.of());
        } catch (LinuxException e) {
            throw new CgroupException(null, "cannot list " + group + ": " + e.getMessage(), false, e);
        }
        List<CgroupGroup> children = new ArrayList<>();
        for (DirectoryEntry e : entries) {
            boolean directory = switch (e.type()) {
                case DIRECTORY -> true;
                case OTHER -> false;
                case UNKNOWN -> Files.isDirectory(dir.resolve(e.name()));
            };
            if (directory && named.test(e.name())) {
                children.add(group.child(e.name()));
            }
        }
        children.sort(Comparator.comparing(CgroupGroup::name));
        return children;
    }

    private Path dir(CgroupGroup group) {
        Path base = group.hierarchy().isEmpty() ? cgroupRoot : cgroupRoot.resolve(group.hierarchy());
        return group.isRoot() ? base : base.resolve(group.path().substring(1));
    }

    private Path path(CgroupFile file) {
        return dir(file.group()).resolve(file.name());
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
