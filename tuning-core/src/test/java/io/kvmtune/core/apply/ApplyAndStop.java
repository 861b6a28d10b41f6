package io.kvmtune.core.apply;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.QemuDiscovery;
import io.kvmtune.core.qemu.QemuGuest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The child process of {@link ApplyQemuIT}'s kill test: applies the test plan to a QEMU, prints
 * {@code STOPPED <step>} after the chosen step and waits there to be killed with SIGKILL.
 */
public final class ApplyAndStop {

    static final String STOPPED = "STOPPED ";

    private ApplyAndStop() {
    }

    /** Arguments: QEMU pid, its QMP socket, the record directory, the step to stop after. */
    public static void main(String[] args) throws InterruptedException {
        int pid = Integer.parseInt(args[0]);
        ApplyStep stopAfter = ApplyStep.valueOf(args[3]);
        QemuGuest guest = QemuDiscovery.system().discover(pid, Optional.of(Path.of(args[1])), false).guest();
        CpuSet host = ProcFs.system().status((int) ProcessHandle.current().pid()).orElseThrow().cpusAllowed();
        StepObserver stop = step -> {
            if (step == stopAfter) {
                System.out.println(STOPPED + step);
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Applier.system(new RecordStore(Path.of(args[2])))
                .apply(TestGuests.realtimePlanOn(4, host, CpuSet.of(host.first())), guest,
                        ApplyOptions.defaults().withObserver(stop));
    }
}
