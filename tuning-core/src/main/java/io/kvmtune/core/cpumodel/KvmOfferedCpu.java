package io.kvmtune.core.cpumodel;

import io.kvmtune.linux.KvmCpuid;
import io.kvmtune.linux.LinuxException;
import io.kvmtune.linux.NativeAccessException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The host CPU as KVM offers it to guests: the features of libvirt's map whose CPUID bits
 * {@code KVM_GET_SUPPORTED_CPUID} reports, which is what libvirt's {@code usable} and Nova's
 * {@code compareHypervisorCPU} go by. It can be less than /proc/cpuinfo, the kernel's own view:
 * a nested or paravirtual KVM (PVM) withholds bits the kernel lists, and a guest model asking for
 * them runs without them. Features defined by MSR bits ({@code mds-no}, {@code ibrs-all}, ... in
 * {@code IA32_ARCH_CAPABILITIES}; {@code split-lock-detect}) count when KVM's feature MSRs
 * ({@code KVM_GET_MSR_FEATURE_INDEX_LIST}, {@code KVM_GET_MSRS}) have them, as libvirt asks QEMU.
 */
public final class KvmOfferedCpu {

    private KvmOfferedCpu() {
    }

    /**
     * The kernel's view with the features KVM does not offer taken out (pure).
     *
     * @param kernel the host CPU from /proc/cpuinfo, which gives vendor, family and model
     */
    public static HostCpu of(CpuMap map, HostCpu kernel, List<KvmCpuid.Entry> supported, Map<Integer, Long> featureMsrs) {
        Map<Long, KvmCpuid.Entry> byLeaf = new HashMap<>();
        for (KvmCpuid.Entry e : supported) {
            byLeaf.put(key(Integer.toUnsignedLong(e.function()), Integer.toUnsignedLong(e.index())), e);
        }
        TreeSet<String> offered = new TreeSet<>();
        for (CpuFeatureDefinition f : map.features().values()) {
            if (!f.bits().isEmpty() && f.bits().stream().allMatch(b -> b.source() == CpuRegisterBits.Source.CPUID
                    ? set(byLeaf.get(key(b.index(), b.subleaf())), b) : set(featureMsrs.get((int) b.index()), b))) {
                offered.add(f.name());
            }
        }
        return new HostCpu(kernel.vendor(), kernel.family(), kernel.model(), offered, new TreeSet<>());
    }

    /**
     * This host's CPU for guests: {@code /dev/kvm}'s offer when KVM is usable here, else empty
     * (no KVM: guests would be emulated, and the kernel's view is all there is).
     */
    public static Optional<HostCpu> read(CpuMap map, HostCpu kernel) {
        try {
            return Optional.of(of(map, kernel, KvmCpuid.supported(), KvmCpuid.featureMsrs()));
        } catch (LinuxException | NativeAccessException | UnsupportedOperationException noKvm) {
            return Optional.empty();
        }
    }

    /** The guest's view of this host under {@code root} ({@code /}): KVM's offer, else the kernel's. */
    public static HostCpuView guestView(Path root, CpuMap map) {
        return guestView(root, map, Optional.empty());
    }

    /**
     * The guest's view of this host, with KVM's offer taken from {@code cacheFile}
     * ({@link KvmCpuidCache}) while it holds this boot's, and kept there when KVM was asked.
     */
    public static HostCpuView guestView(Path root, CpuMap map, Optional<Path> cacheFile) {
        boolean thisHost = root.equals(Path.of("/"));
        Optional<String> key = thisHost && cacheFile.isPresent() ? KvmCpuidCache.key(root) : Optional.empty();
        if (key.isPresent()) {
            Optional<KvmCpuidCache.Entry> cached = KvmCpuidCache.load(cacheFile.get(), key.get());
            if (cached.isPresent()) {
                KvmCpuidCache.Entry e = cached.get();
                HostCpu identity = new HostCpu(e.vendor(), e.family(), e.model(), new TreeSet<>(), new TreeSet<>());
                return new HostCpuView(of(map, identity, e.supported(), e.featureMsrs()), "as KVM offers it to guests");
            }
        }
        HostCpu kernel = HostCpuReader.read(root, map);
        if (thisHost) {
            try {
                List<KvmCpuid.Entry> supported = KvmCpuid.supported();
                Map<Integer, Long> msrs = KvmCpuid.featureMsrs();
                key.ifPresent(k -> KvmCpuidCache.store(cacheFile.get(), k,
                        new KvmCpuidCache.Entry(kernel.vendor(), kernel.family(), kernel.model(), supported, msrs)));
                return new HostCpuView(of(map, kernel, supported, msrs), "as KVM offers it to guests");
            } catch (LinuxException | NativeAccessException | UnsupportedOperationException noKvm) {
                // no usable KVM: guests would be emulated, and the kernel's view is all there is
            }
        }
        return new HostCpuView(kernel, root.resolve("proc/cpuinfo") + "; no usable /dev/kvm");
    }

    private static boolean set(KvmCpuid.Entry e, CpuRegisterBits b) {
        if (e == null) {
            return false;
        }
        long value = Integer.toUnsignedLong(switch (b.register()) {
            case "eax" -> e.eax();
            case "ebx" -> e.ebx();
            case "ecx" -> e.ecx();
            default -> e.edx();
        });
        return (value & b.mask()) == b.mask();
    }

    /** An MSR feature's bits: {@code eax} is the MSR's low half, {@code edx} its high half. */
    private static boolean set(Long msr, CpuRegisterBits b) {
        if (msr == null) {
            return false;
        }
        long half = b.register().equals("eax") ? msr & 0xFFFF_FFFFL : msr >>> 32;
        return (half & b.mask()) == b.mask();
    }

    private static long key(long leaf, long subleaf) {
        return leaf << 32 | subleaf;
    }
}
