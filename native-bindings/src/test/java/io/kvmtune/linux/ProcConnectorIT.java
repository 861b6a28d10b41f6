package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The process events connector on the running kernel: a thread this test starts, renames and
 * ends is seen being born, named and leaving, with timestamps on the clock of
 * {@link Clock#monotonicNanos()}.
 */
class ProcConnectorIT {

    @Test
    void aThreadsForkRenameAndExitArriveAsEvents() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/task")), "no /proc");
        int pid = (int) ProcessHandle.current().pid();
        try (ProcConnector connector = open()) {
            long before = Clock.monotonicNanos();
            CountDownLatch named = new CountDownLatch(1);
            int[] tid = new int[1];
            Thread t = Thread.ofPlatform().start(() -> {
                tid[0] = Threads.currentTid();
                try {
                    // what QEMU's qemu_thread_set_name does through pthread_setname_np
                    Files.writeString(Path.of("/proc/self/task/" + tid[0] + "/comm"), "CPU 7/KVM");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                named.countDown();
            });
            assertThat(named.await(30, TimeUnit.SECONDS)).isTrue();
            t.join();

            List<ProcEvent> seen = receiveUntil(connector, e -> e instanceof ProcEvent.Exit x && x.pid() == tid[0]);
            assertThat(seen).filteredOn(e -> e instanceof ProcEvent.Fork f && f.childPid() == tid[0])
                    .singleElement()
                    .satisfies(e -> {
                        ProcEvent.Fork f = (ProcEvent.Fork) e;
                        assertThat(f.isThread()).isTrue();
                        assertThat(f.childTgid()).isEqualTo(pid);
                        assertThat(f.timestampNs()).isBetween(before, Clock.monotonicNanos());
                    });
            // the JVM names its threads first (Thread-N); the rename the test made comes after
            assertThat(seen).filteredOn(e -> e instanceof ProcEvent.Comm c && c.pid() == tid[0])
                    .last().satisfies(e -> {
                        ProcEvent.Comm c = (ProcEvent.Comm) e;
                        assertThat(c.tgid()).isEqualTo(pid);
                        assertThat(c.comm()).isEqualTo("CPU 7/KVM");
                    });
            assertThat(seen).filteredOn(e -> e instanceof ProcEvent.Exit x && x.pid() == tid[0])
                    .singleElement().satisfies(e -> assertThat(((ProcEvent.Exit) e).isProcess()).isFalse());
        }
    }

    @Test
    void aChildProcessIsAForkOfItsOwnAndItsExitEndsTheProcess() throws Exception {
        try (ProcConnector connector = open()) {
            Process child = new ProcessBuilder("true").start();
            int childPid = (int) child.pid();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            List<ProcEvent> seen = receiveUntil(connector,
                    e -> e instanceof ProcEvent.Exit x && x.pid() == childPid && x.isProcess());
            assertThat(seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(ProcEvent.Fork.class,
                    f -> assertThat(f.childPid()).isEqualTo(childPid).isEqualTo(f.childTgid())));
            assertThat(seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(ProcEvent.Exec.class,
                    x -> assertThat(x.pid()).isEqualTo(childPid)));
        }
    }

    @Test
    void receiveReturnsEmptyAfterClose() {
        ProcConnector connector = open();
        connector.close();
        connector.close();
        assertThat(connector.receive()).isEmpty();
    }

    private static ProcConnector open() {
        try {
            return ProcConnector.open(Duration.ofMillis(200));
        } catch (LinuxException e) {
            assumeTrue(false, "the process events connector is not available here: " + e.getMessage());
            throw e;
        }
    }

    private static List<ProcEvent> receiveUntil(ProcConnector connector, java.util.function.Predicate<ProcEvent> last) {
        List<ProcEvent> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ProcEvent e : connector.receive()) {
                seen.add(e);
                if (last.test(e)) {
                    return seen;
                }
            }
        }
        throw new AssertionError("the awaited event did not arrive within 30 s; received " + seen.size() + " events");
    }
}
