package io.kvmtune.core.plan;

import io.kvmtune.core.spec.CpuThreadPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Nova's {@code hardware._pack_instance_onto_cores}: the pCPUs of one host cell that one guest
 * cell's pinned vCPUs get, and the pCPU reserved beside them for isolated emulator threads.
 *
 * <ul>
 * <li>{@code prefer} and no policy: for {@code n} from the most free threads any core has down to
 *     1, take {@code n} free threads from every core having that many, cores in order, until the
 *     vCPUs are placed; the first {@code n} that places them all (and leaves a pCPU to reserve, if
 *     one is wanted) wins, so cores with the most free siblings go first. If none does, the free
 *     threads are taken one by one in core order.
 * <li>{@code require}: the same without the fallback and without {@code n = 1}; a cell without SMT
 *     never fits.
 * <li>{@code isolate}: one thread of each core whose threads are all free, the siblings held idle.
 *     Nova refuses this on an SMT cell whose dedicated and shared CPUs differ (its scheduler keeps
 *     such guests off SMT hosts); kvmtune holds the siblings as Nova does on legacy
 *     {@code vcpu_pin_set} cells, a deliberate difference the planner names in its reasons.
 * <li>The emulator pCPU: the first free thread, in core order, left once the vCPUs are placed
 *     (under {@code isolate}: on a core none of them uses).
 * </ul>
 * Threads within a core are taken in ascending order; Nova takes them in Python set order, which
 * can differ, so only the core is Nova's decision.
 */
final class CorePacking {

    /**
     * @param pcpus the pinned vCPUs' pCPUs, in ascending vCPU order
     * @param isolatedSiblings the sibling threads held idle under {@code isolate}
     * @param emulatorPcpu the reserved emulator pCPU, or -1
     */
    record Result(int[] pcpus, int[] isolatedSiblings, int emulatorPcpu) {
    }

    private CorePacking() {
    }

    /**
     * @param freeSiblings the cell's free threads per core, in core order ({@link HostIndex#freeSiblings})
     * @param threadsPerCore the cell's widest core
     * @param pinned the number of pinned vCPUs of the guest cell
     * @param reserve 1 to reserve an emulator pCPU, else 0
     * @return the placement, or {@code null} when the cell does not fit (as Nova, also when
     *     {@code pinned} is 0: a pinned guest cell without pinned vCPUs is never placed)
     */
    static Result pack(int[][] freeSiblings, int threadsPerCore, int pinned, int reserve, CpuThreadPolicy policy) {
        if (policy == CpuThreadPolicy.ISOLATE) {
            List<int[]> whole = new ArrayList<>();
            for (int[] core : freeSiblings) {
                if (core.length == threadsPerCore) {
                    whole.add(core);
                }
            }
            int[] pcpus = pinning(1, whole, pinned);
            if (pcpus == null) {
                return null;
            }
            int emulator = reserve == 0 ? -1 : reserved(freeSiblings, pcpus, true);
            if (reserve > 0 && emulator < 0) {
                return null;
            }
            int[] siblings = new int[pinned * (threadsPerCore - 1)];
            for (int i = 0, k = 0; i < pinned; i++) {
                int[] core = whole.get(i);
                System.arraycopy(core, 1, siblings, k, core.length - 1);
                k += core.length - 1;
            }
            return new Result(pcpus, siblings, emulator);
        }
        boolean require = policy == CpuThreadPolicy.REQUIRE;
        if (require && threadsPerCore <= 1) {
            return null;
        }
        int widest = 0;
        for (int[] core : freeSiblings) {
            widest = Math.max(widest, core.length);
        }
        int[] pcpus = null;
        int emulator = -1;
        // As in Nova, a pinning found with no pCPU left to reserve still stops the fallback below.
        for (int threads = widest; threads >= 1; threads--) {
            if (require && threads <= 1) {
                continue;
            }
            List<int[]> cores = new ArrayList<>();
            for (int[] core : freeSiblings) {
                if (core.length >= threads) {
                    cores.add(core);
                }
            }
            pcpus = pinning(threads, cores, pinned);
            emulator = pcpus == null || reserve == 0 ? -1 : reserved(freeSiblings, pcpus, false);
            if (pcpus != null && (reserve == 0 || emulator >= 0)) {
                break;
            }
        }
        if (!require && pcpus == null) {
            List<int[]> single = new ArrayList<>();
            for (int[] core : freeSiblings) {
                for (int cpu : core) {
                    single.add(new int[] {cpu});
                }
            }
            pcpus = pinning(1, single, pinned);
            emulator = pcpus == null || reserve == 0 ? -1 : reserved(freeSiblings, pcpus, false);
        }
        if (pcpus == null || (reserve > 0 && emulator < 0)) {
            return null;
        }
        return new Result(pcpus, new int[0], emulator);
    }

    /** Nova's {@code _get_pinning}: {@code threads} threads of each core in turn; null when short or nothing to pin. */
    private static int[] pinning(int threads, List<int[]> cores, int pinned) {
        if (pinned == 0 || (long) threads * cores.size() < pinned) {
            return null;
        }
        int[] out = new int[pinned];
        int k = 0;
        for (int c = 0; k < pinned; c++) {
            int[] core = cores.get(c);
            for (int t = 0; t < threads && k < pinned; t++) {
                out[k++] = core[t];
            }
        }
        return out;
    }

    /**
     * Nova's {@code _get_reserved} for one pCPU: the first free thread, in core order, that the
     * pinning does not use (with {@code wholeCores}, on a core it does not use); -1 when none.
     */
    private static int reserved(int[][] freeSiblings, int[] pcpus, boolean wholeCores) {
        for (int[] core : freeSiblings) {
            boolean coreUsed = false;
            for (int cpu : core) {
                coreUsed |= contains(pcpus, cpu);
            }
            if (wholeCores && coreUsed) {
                continue;
            }
            for (int cpu : core) {
                if (!contains(pcpus, cpu)) {
                    return cpu;
                }
            }
        }
        return -1;
    }

    private static boolean contains(int[] cpus, int cpu) {
        for (int c : cpus) {
            if (c == cpu) {
                return true;
            }
        }
        return false;
    }
}
