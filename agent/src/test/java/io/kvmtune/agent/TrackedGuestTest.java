package io.kvmtune.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.apply.PinnedThread;
import io.kvmtune.core.apply.TestGuests;
import io.kvmtune.core.apply.ThreadPin;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrackedGuestTest {

    private final TrackedGuest guest = new TrackedGuest(new ThreadIdentity(100, 5000),
            new KeptPlan(TestGuests.realtimePlanOn(2, CpuSet.of(0, 1), CpuSet.of(0, 1)), "guest", Optional.empty(),
                    "apply"));
    /** The tids of the pins closed so far. */
    private final Set<Integer> closed = new HashSet<>();

    private PinnedThread born(int tid, long startTime) {
        ThreadPin pin = new ThreadPin() {
            @Override
            public boolean alive() {
                return true;
            }

            @Override
            public void close() {
                closed.add(tid);
            }
        };
        PinnedThread p = new PinnedThread(new ThreadIdentity(tid, startTime), pin);
        guest.born(p);
        return p;
    }

    @Test
    void aThreadHeldFromItsBirthIsKnownByItsIdAndItsPinIsHandedOverOnce() {
        PinnedThread vcpu = born(101, 6000);

        assertThat(guest.bornAs(101)).contains(vcpu.identity());
        assertThat(guest.bornAs(102)).as("a birth not seen").isEmpty();
        assertThat(guest.takeBornPin(vcpu.identity())).containsSame(vcpu.pin());
        assertThat(guest.takeBornPin(vcpu.identity())).as("handed over already").isEmpty();
        assertThat(guest.bornAs(101)).isEmpty();
        assertThat(closed).as("the taker's to close").isEmpty();
    }

    @Test
    void aThreadBornMomentsAgoIsAwaitedUntilItIsNamedOrTheGraceHasPassed() {
        long grace = 2_000_000;
        long forkNs = 1_000_000_000;
        assertThat(guest.awaitingName(forkNs, grace)).as("nothing born").isFalse();
        PinnedThread vcpu = born(101, 6000);
        guest.bornAtNs.put(101, forkNs);

        assertThat(guest.awaitingName(forkNs + grace - 1, grace)).isTrue();
        assertThat(guest.awaitingName(forkNs + grace, grace)).as("one QEMU does not name").isFalse();

        guest.takeBornPin(vcpu.identity());
        assertThat(guest.awaitingName(forkNs + 1, grace)).as("named: handed over to be tuned").isFalse();
    }

    @Test
    void thePinOfAnEarlierThreadUnderTheSameIdIsClosedNotHandedOver() {
        born(101, 6000);

        assertThat(guest.takeBornPin(new ThreadIdentity(101, 6001))).isEmpty();
        assertThat(closed).containsExactly(101);
        assertThat(guest.bornAs(101)).isEmpty();
    }

    @Test
    void aSecondBirthUnderTheSameIdClosesThePinOfTheFirst() {
        born(101, 6000);
        PinnedThread second = born(101, 6100);

        assertThat(closed).containsExactly(101);
        assertThat(guest.bornAs(101)).contains(second.identity());
    }

    @Test
    void forgettingAThreadClosesThePinHeldSinceItsBirth() {
        born(101, 6000);
        born(102, 6000);
        guest.bornAtNs.put(103, 1L);

        assertThat(guest.bornTids()).containsExactlyInAnyOrder(101, 102, 103);
        guest.forget(101);

        assertThat(closed).containsExactly(101);
        assertThat(guest.bornTids()).containsExactlyInAnyOrder(102, 103);
    }
}
