package io.kvmtune.core.cpumodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.linux.KvmCpuid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvmCpuidCacheTest {

    @TempDir
    Path dir;

    private static final KvmCpuidCache.Entry ENTRY = new KvmCpuidCache.Entry(Optional.of("Intel"), 6, 85, List.of(
            new KvmCpuid.Entry(0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69),
            new KvmCpuid.Entry(7, 0, 0, 0xffffffff, 0x80000000, 0x24000000)), Map.of(0x10a, 0x400000000c000069L));

    @Test
    void anEntryReadsBackUnderItsKeyOnly() {
        Path file = dir.resolve("state").resolve(KvmCpuidCache.FILE_NAME);
        KvmCpuidCache.store(file, "boot-1 82 1796588191", ENTRY);

        assertThat(KvmCpuidCache.load(file, "boot-1 82 1796588191")).contains(ENTRY);
        // another boot, or /dev/kvm made anew by a module reload: asked again
        assertThat(KvmCpuidCache.load(file, "boot-2 82 1796588191")).isEmpty();
        assertThat(KvmCpuidCache.load(file, "boot-1 83 1796589999")).isEmpty();
        assertThat(KvmCpuidCache.load(dir.resolve("none"), "boot-1 82 1796588191")).isEmpty();
    }

    @Test
    void aDamagedEntryIsAMiss() throws IOException {
        Path file = dir.resolve(KvmCpuidCache.FILE_NAME);
        KvmCpuidCache.store(file, "k", ENTRY);
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 5));
        assertThat(KvmCpuidCache.load(file, "k")).isEmpty();
        Files.writeString(file, "kvmtune kvm-cpuid 1\nk\nIntel 6 x\nend 0\n");
        assertThat(KvmCpuidCache.load(file, "k")).isEmpty();
    }

    @Test
    void anUnwritableDirectoryLeavesNoCacheAndNoError() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        KvmCpuidCache.store(notADirectory.resolve(KvmCpuidCache.FILE_NAME), "k", ENTRY);
        assertThat(KvmCpuidCache.load(notADirectory.resolve(KvmCpuidCache.FILE_NAME), "k")).isEmpty();
    }

    @Test
    void theKeyIsTheBootIdAndTheKvmNodesIdentity() throws IOException {
        Files.createDirectories(dir.resolve("proc/sys/kernel/random"));
        Files.writeString(dir.resolve("proc/sys/kernel/random/boot_id"), "eecde8d2-9ea3\n");
        assertThat(KvmCpuidCache.key(dir)).isEmpty(); // no dev/kvm
        Files.createDirectories(dir.resolve("dev"));
        Files.writeString(dir.resolve("dev/kvm"), "");
        assertThat(KvmCpuidCache.key(dir)).hasValueSatisfying(k -> assertThat(k).startsWith("eecde8d2-9ea3 "));
    }

    @Test
    void theGuestViewFromTheCacheIsTheViewFromKvm() {
        Path map = FakeCpuMap.standard(dir);
        CpuMap cpuMap = CpuMapReader.read(map, "x86");
        HostCpu identity = new HostCpu(ENTRY.vendor(), ENTRY.family(), ENTRY.model(), new java.util.TreeSet<>(),
                new java.util.TreeSet<>());
        // what guestView computes from a cache hit and from KVM's answer is the same function of the leaves
        assertThat(KvmOfferedCpu.of(cpuMap, identity, ENTRY.supported(), ENTRY.featureMsrs()).features())
                .contains("avx2", "spec-ctrl", "arch-capabilities", "mds-no").doesNotContain("fpu");
    }
}
