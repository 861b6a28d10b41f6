package io.kvmtune.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.testing.WaitingThread;
import org.junit.jupiter.api.Test;

class KernelThreadControlTest {

    private final KernelThreadControl kernel = new KernelThreadControl(ProcFs.system());

    @Test
    void aPinHoldsWhileItsThreadLivesAndNotOnceItHasExited() throws Exception {
        try (WaitingThread thread = WaitingThread.start("kvmtune-pinned")) {
            ThreadIdentity identity = new ThreadIdentity(thread.tid(), kernel.startTime(thread.tid()).orElseThrow());
            try (ThreadPin pin = kernel.pin(identity);
                    ThreadPin later = kernel.pin(new ThreadIdentity(thread.tid(), identity.startTime() + 1))) {
                assertThat(pin.alive()).isTrue();
                assertThat(pin.alive()).as("checked again through the same pin").isTrue();
                assertThat(later.alive()).as("a thread started at another time is not the one found").isFalse();

                thread.exit(pin::alive);

                assertThat(pin.alive()).as("the thread has exited, whatever its id names now").isFalse();
            }
            try (ThreadPin afterExit = kernel.pin(identity)) {
                assertThat(afterExit.alive()).as("a pin taken after the exit").isFalse();
            }
        }
    }

    @Test
    void aThreadPinnedByItsIdAloneIsWhoTheIdNamedAndIsHeldUntilItExits() throws Exception {
        try (WaitingThread thread = WaitingThread.start("kvmtune-pinnow")) {
            PinnedThread found = kernel.pinNow(thread.tid()).orElseThrow();
            try (ThreadPin pin = found.pin()) {
                assertThat(found.identity()).isEqualTo(new ThreadIdentity(thread.tid(),
                        kernel.startTime(thread.tid()).orElseThrow()));
                assertThat(pin.alive()).isTrue();

                thread.exit(pin::alive);

                assertThat(pin.alive()).as("the thread has exited").isFalse();
            }
        }
    }

    @Test
    void noThreadIsPinnedByAnIdNoThreadHas() {
        assertThat(kernel.pinNow(Integer.MAX_VALUE)).isEmpty();
    }
}
