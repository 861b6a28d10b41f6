package io.kvmtune.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.linux.lib.SyscallNumbers;
import io.kvmtune.linux.lib.kvmtune_linux_h;
import io.kvmtune.linux.lib.rlimit;
import io.kvmtune.linux.lib.sched_attr;
import io.kvmtune.linux.lib.timespec;
import io.kvmtune.linux.lib.timeval;
import io.kvmtune.linux.lib.sockaddr_nl;
import io.kvmtune.linux.lib.nlmsghdr;
import io.kvmtune.linux.lib.cn_msg;
import io.kvmtune.linux.lib.proc_event;
import io.kvmtune.linux.lib.fork_proc_event;
import io.kvmtune.linux.lib.exec_proc_event;
import io.kvmtune.linux.lib.comm_proc_event;
import io.kvmtune.linux.lib.exit_proc_event;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java bindings agree with the C compiler: a probe built from test resources with the system
 * headers prints every size, offset, constant and system call number, and each must equal what
 * the Java side declares, in both directions (nothing on either side left unchecked).
 */
class AbiProbeIT {

    private static final List<String> SOURCES = List.of("probe_libc.c", "probe_sched.c", "probe_netlink.c",
            "probe_aarch64_unistd.c");

    @Test
    void javaLayoutsConstantsAndSyscallNumbersEqualTheCompilersView(@TempDir Path dir) throws Exception {
        Optional<Path> gcc = onPath("gcc").or(() -> onPath("cc"));
        assumeTrue(gcc.isPresent(), "no gcc or cc on PATH: the ABI probe cannot be compiled");

        Map<String, Long> c = runProbe(gcc.get(), dir);
        Map<String, Long> java = javaView();

        List<String> mismatches = new ArrayList<>();
        for (var e : java.entrySet()) {
            Long cValue = c.get(e.getKey());
            if (cValue == null) {
                mismatches.add(e.getKey() + ": Java " + e.getValue() + ", not printed by the C probe");
            } else if (!cValue.equals(e.getValue())) {
                mismatches.add(e.getKey() + ": Java " + e.getValue() + ", C " + cValue);
            }
        }
        for (String key : c.keySet()) {
            if (!java.containsKey(key)) {
                mismatches.add(key + ": C " + c.get(key) + ", no Java counterpart checked");
            }
        }
        assertThat(mismatches).as("differences between the Java bindings and the C ABI").isEmpty();
        assertThat(c).as("probe output").containsKeys("sched_attr.sizeof", "SCHED_FLAG_ALL", "SYS.aarch64.sched_setattr");
    }

    /** What the Java side declares, under the probe's keys. */
    private static Map<String, Long> javaView() throws ReflectiveOperationException {
        Map<String, Long> v = new TreeMap<>();
        v.put("sizeof.int", kvmtune_linux_h.C_INT.byteSize());
        v.put("sizeof.long", kvmtune_linux_h.C_LONG.byteSize());
        v.put("sizeof.pointer", kvmtune_linux_h.C_POINTER.byteSize());
        // the descriptors pass these C types as C_LONG (size_t) and C_INT (pid_t, clockid_t)
        v.put("sizeof.size_t", kvmtune_linux_h.C_LONG.byteSize());
        v.put("sizeof.pid_t", kvmtune_linux_h.C_INT.byteSize());
        v.put("sizeof.clockid_t", kvmtune_linux_h.C_INT.byteSize());

        struct(v, sched_attr.layout());
        struct(v, timespec.layout());
        struct(v, rlimit.layout());
        struct(v, timeval.layout());
        struct(v, sockaddr_nl.layout());
        struct(v, nlmsghdr.layout());
        struct(v, cn_msg.layout());
        struct(v, proc_event.layout());
        struct(v, fork_proc_event.layout());
        struct(v, exec_proc_event.layout());
        struct(v, comm_proc_event.layout());
        struct(v, exit_proc_event.layout());
        // the jextract-style accessors the facade uses must agree with the layout
        v.put("sched_attr.sched_util_max.offset", sched_attr.sched_util_max$offset());

        for (Method m : kvmtune_linux_h.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers())
                    && m.getParameterCount() == 0 && m.getName().matches("[A-Z][A-Z0-9_]+")) {
                v.put(m.getName(), ((Number) m.invoke(null)).longValue());
            }
        }
        for (SyscallNumbers arch : SyscallNumbers.values()) {
            for (Method m : SyscallNumbers.class.getDeclaredMethods()) {
                if (!Modifier.isStatic(m.getModifiers()) && m.getReturnType() == long.class && m.getParameterCount() == 0) {
                    v.put("SYS." + arch.name().toLowerCase() + "." + m.getName(), (Long) m.invoke(arch));
                }
            }
        }
        v.put("dirent64.d_reclen.offset", RawFiles.D_RECLEN);
        v.put("dirent64.d_type.offset", RawFiles.D_TYPE);
        v.put("dirent64.d_name.offset", RawFiles.D_NAME);
        v.put("DT_UNKNOWN", (long) RawFiles.DT_UNKNOWN);
        v.put("DT_DIR", (long) RawFiles.DT_DIR);
        v.put("AT_FDCWD", (long) OpenFlags.AT_FDCWD);
        v.put("O_RDONLY", (long) OpenFlags.O_RDONLY);
        v.put("O_RDWR", (long) OpenFlags.O_RDWR);
        v.put("O_CLOEXEC", (long) OpenFlags.O_CLOEXEC);
        for (Errno e : Errno.values()) {
            if (e != Errno.UNKNOWN) {
                v.put(e.name(), (long) e.number());
            }
        }
        for (int cpus : new int[] {1, 64, 65, 1024, 1025, 4096}) {
            v.put("CPU_ALLOC_SIZE." + cpus, CpuMask.allocSize(cpus));
        }
        return v;
    }

    private static void struct(Map<String, Long> v, GroupLayout layout) {
        String name = layout.name().orElseThrow();
        v.put(name + ".sizeof", layout.byteSize());
        for (MemoryLayout member : layout.memberLayouts()) {
            if (member instanceof PaddingLayout) {
                continue;
            }
            String field = member.name().orElseThrow();
            v.put(name + "." + field + ".offset", layout.byteOffset(groupElement(field)));
            v.put(name + "." + field + ".size", member.byteSize());
        }
    }

    @Test
    void facadeEnumsCarryTheHeaderValues() {
        // SchedPolicy and the flag/limit enums are what callers use; they must match the header class
        assertThat(SchedPolicy.OTHER.value()).isEqualTo(kvmtune_linux_h.SCHED_NORMAL());
        assertThat(SchedPolicy.FIFO.value()).isEqualTo(kvmtune_linux_h.SCHED_FIFO());
        assertThat(SchedPolicy.RR.value()).isEqualTo(kvmtune_linux_h.SCHED_RR());
        assertThat(SchedPolicy.BATCH.value()).isEqualTo(kvmtune_linux_h.SCHED_BATCH());
        assertThat(SchedPolicy.IDLE.value()).isEqualTo(kvmtune_linux_h.SCHED_IDLE());
        assertThat(SchedPolicy.DEADLINE.value()).isEqualTo(kvmtune_linux_h.SCHED_DEADLINE());
        assertThat(SchedPolicy.values()).hasSize(6);
    }

    private static Map<String, Long> runProbe(Path gcc, Path dir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(gcc.toString(), "-std=gnu11", "-Wall", "-Werror", "-o",
                dir.resolve("probe").toString()));
        for (String source : SOURCES) {
            Path file = dir.resolve(source);
            try (InputStream in = AbiProbeIT.class.getResourceAsStream("/abi/" + source)) {
                Files.copy(in, file);
            }
            command.add(file.toString());
        }
        run(command);
        String out = run(List.of(dir.resolve("probe").toString()));
        Map<String, Long> values = new TreeMap<>();
        TreeSet<String> duplicates = new TreeSet<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1))) != null) {
                duplicates.add(line);
            }
        }
        assertThat(duplicates).as("keys the probe printed twice").isEmpty();
        return values;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            assertThat(p.exitValue()).as("exit status of %s, output:%n%s", command, out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    private static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
