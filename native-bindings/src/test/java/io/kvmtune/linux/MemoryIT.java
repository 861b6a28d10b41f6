package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** mlockall/munlockall in a child JVM, read back from VmLck in /proc/<pid>/status. */
class MemoryIT {

    private static final List<String> CHILD_JVM = List.of("--enable-native-access=ALL-UNNAMED",
            "--illegal-native-access=deny", "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @ParameterizedTest
    @ValueSource(strings = {"CURRENT FUTURE", "CURRENT ONFAULT"})
    void lockAllLocksTheChildsMemoryAndUnlockAllReleasesIt(String flags) throws Exception {
        try (ChildProcess child = ChildProcess.jvm(CHILD_JVM, MlockallChild.class, flags.split(" "))) {
            assertThat(child.readLine()).isEqualTo("locked");
            long lockedKb = vmLckKb(child.pid());
            // the whole JVM (heap, code, libraries), which is tens of megabytes at least
            assertThat(lockedKb).as("VmLck after mlockall(%s)", flags).isGreaterThan(10 * 1024);
            child.send("unlock");
            assertThat(child.readLine()).isEqualTo("unlocked");
            assertThat(vmLckKb(child.pid())).as("VmLck after munlockall").isZero();
        }
        assertThat(vmLckKb(Math.toIntExact(ProcessHandle.current().pid()))).as("the test JVM is never locked").isZero();
    }

    @Test
    void onfaultAloneIsEinvalAndNoFlagIsRefusedBeforeTheCall() {
        assertThatThrownBy(() -> Memory.lockAll(Set.of(LockFlag.ONFAULT)))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessage("mlockall: EINVAL: Invalid argument");
        assertThatThrownBy(() -> Memory.lockAll(Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long vmLckKb(int pid) throws Exception {
        return Long.parseLong(Proc.status(pid, "VmLck").replace("kB", "").strip());
    }
}
