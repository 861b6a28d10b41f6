package io.kvmtune.core.cpumodel;

import io.kvmtune.linux.KvmCpuid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code /dev/kvm} offers guests, kept for the rest of the boot in one small file under the
 * state directory ({@code /run/kvmtune/kvm-cpuid}, tmpfs), so that the libvirt hook's
 * {@code prepare} reads a file instead of linking the native calls that ask KVM (tens of ms in a
 * cold JVM) at every guest start.
 *
 * <p>KVM's offer changes only when the kvm module is loaded again, with other parameters or under
 * another kernel: the entry is keyed by the kernel's boot id and {@code /dev/kvm}'s inode and
 * change time (devtmpfs makes the node anew at every load), and read only when the key matches.
 * The host CPU's identity (vendor, family, model from /proc/cpuinfo) and KVM's feature MSRs are
 * kept beside it. An
 * unreadable or foreign entry is a miss; a failed write leaves no cache (the state directory
 * belongs to root; a run without root asks KVM every time).
 */
public final class KvmCpuidCache {

    /** The file's name in the state directory. */
    public static final String FILE_NAME = "kvm-cpuid";

    private static final String HEADER = "kvmtune kvm-cpuid 2";

    /**
     * The host CPU's identity and KVM's CPUID offer.
     *
     * @param vendor libvirt's vendor name of the host CPU, if the map knows it
     * @param family the host CPU family
     * @param model the host CPU model number
     * @param supported {@code KVM_GET_SUPPORTED_CPUID}
     * @param featureMsrs KVM's feature MSRs by index
     */
    public record Entry(Optional<String> vendor, int family, int model, List<KvmCpuid.Entry> supported,
            Map<Integer, Long> featureMsrs) {

        public Entry {
            supported = List.copyOf(supported);
            featureMsrs = Map.copyOf(featureMsrs);
        }
    }

    private KvmCpuidCache() {
    }

    /**
     * The key of KVM's current offer on the host under {@code root}, or empty when there is no
     * boot id or no {@code /dev/kvm} to key it by.
     */
    public static Optional<String> key(Path root) {
        try {
            String bootId = Files.readString(root.resolve("proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII)
                    .strip();
            Path kvm = root.resolve("dev/kvm");
            Object ino = Files.getAttribute(kvm, "unix:ino");
            Object ctime = Files.getAttribute(kvm, "unix:ctime");
            return Optional.of(bootId + " " + ino + " " + ctime);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The entry in {@code file} made under {@code key}, or empty (no file, another key, unreadable). */
    public static Optional<Entry> load(Path file, String key) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        // header, key, identity, the leaves and MSRs, and "end N": a file cut short is never read as a shorter offer
        if (lines.size() < 4 || !lines.get(0).equals(HEADER) || !lines.get(1).equals(key)
                || !lines.getLast().equals("end " + (lines.size() - 4))) {
            return Optional.empty();
        }
        try {
            String[] cpu = lines.get(2).split(" ");
            if (cpu.length != 3) {
                return Optional.empty();
            }
            List<KvmCpuid.Entry> supported = new ArrayList<>(lines.size() - 4);
            Map<Integer, Long> msrs = new TreeMap<>();
            for (int i = 3; i < lines.size() - 1; i++) {
                String[] f = lines.get(i).split(" ");
                if (f.length == 3 && f[0].equals("msr")) {
                    msrs.put(hex(f[1]), Long.parseUnsignedLong(f[2], 16));
                } else if (f.length == 6) {
                    supported.add(new KvmCpuid.Entry(hex(f[0]), hex(f[1]), hex(f[2]), hex(f[3]), hex(f[4]), hex(f[5])));
                } else {
                    return Optional.empty();
                }
            }
            Optional<String> vendor = cpu[0].equals("-") ? Optional.empty() : Optional.of(cpu[0]);
            return Optional.of(new Entry(vendor, Integer.parseInt(cpu[1]), Integer.parseInt(cpu[2]), supported, msrs));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes {@code entry} under {@code key} to {@code file} (whole or not at all); a directory that
     * cannot be written leaves no cache.
     */
    public static void store(Path file, String key, Entry entry) {
        StringBuilder text = new StringBuilder(64 + 60 * entry.supported().size());
        text.append(HEADER).append('\n').append(key).append('\n')
                .append(entry.vendor().filter(v -> !v.isEmpty() && v.indexOf(' ') < 0).orElse("-")).append(' ')
                .append(entry.family()).append(' ').append(entry.model()).append('\n');
        for (KvmCpuid.Entry e : entry.supported()) {
            text.append(Integer.toHexString(e.function())).append(' ').append(Integer.toHexString(e.index())).append(' ')
                    .append(Integer.toHexString(e.eax())).append(' ').append(Integer.toHexString(e.ebx())).append(' ')
                    .append(Integer.toHexString(e.ecx())).append(' ').append(Integer.toHexString(e.edx())).append('\n');
        }
        for (Map.Entry<Integer, Long> msr : new TreeMap<>(entry.featureMsrs()).entrySet()) {
            text.append("msr ").append(Integer.toHexString(msr.getKey())).append(' ')
                    .append(Long.toHexString(msr.getValue())).append('\n');
        }
        text.append("end ").append(entry.supported().size() + entry.featureMsrs().size()).append('\n');
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing was cached; the next run asks KVM again
            }
        }
    }

    private static int hex(String s) {
        return Integer.parseUnsignedInt(s, 16);
    }
}
