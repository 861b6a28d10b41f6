package io.kvmtune.core.spec;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Random flavor/image pairs over the keys kvmtune reads, mostly with values Nova accepts and
 * sometimes with ones it does not, so that both the accepting and the rejecting paths are drawn.
 */
final class RequestGenerator {

    private static final String[] BOOLEANS = {"yes", "true", "1", "on", "no", "False", "0", "maybe"};
    private static final String[] CPU_POLICIES = {"dedicated", "shared", "mixed", "Dedicated"};
    private static final String[] THREAD_POLICIES = {"prefer", "isolate", "require", "never"};
    private static final String[] EMULATOR_POLICIES = {"share", "isolate", "pool"};
    private static final String[] PAGE_SIZES = {"large", "small", "any", "2MB", "1GiB", "2048", "huge"};
    private static final String[] ARCHES = {"x86_64", "i386", "amd64", "i686", "aarch64", "sparkle"};

    private RequestGenerator() {
    }

    record Request(int vcpus, Map<String, String> flavor, Map<String, String> image) {
    }

    static Request next(Random r) {
        int vcpus = 1 + r.nextInt(r.nextBoolean() ? 4 : 16);
        Map<String, String> flavor = new TreeMap<>();
        Map<String, String> image = new TreeMap<>();
        maybe(r, 0.8, flavor, "hw:cpu_policy", pick(r, CPU_POLICIES));
        maybe(r, 0.6, flavor, "hw:cpu_realtime", pick(r, BOOLEANS));
        maybe(r, 0.5, flavor, "hw:cpu_realtime_mask", mask(r, vcpus));
        maybe(r, 0.1, flavor, "hw:cpu_dedicated_mask", mask(r, vcpus));
        maybe(r, 0.4, flavor, "hw:emulator_threads_policy", pick(r, EMULATOR_POLICIES));
        maybe(r, 0.1, flavor, "hw:cpu_thread_policy", pick(r, THREAD_POLICIES));
        maybe(r, 0.15, flavor, "hw:mem_page_size", pick(r, PAGE_SIZES));
        maybe(r, 0.1, flavor, "hw:locked_memory", pick(r, BOOLEANS));
        maybe(r, 0.1, flavor, "hw:numa_nodes", Integer.toString(r.nextInt(3)));
        maybe(r, 0.05, flavor, "resources:PCPU", Integer.toString(vcpus + r.nextInt(2)));
        maybe(r, 0.03, flavor, "hw:cpu_realtime_maks", "^0");
        maybe(r, 0.1, image, "hw_cpu_policy", pick(r, CPU_POLICIES));
        maybe(r, 0.3, image, "hw_cpu_realtime_mask", r.nextInt(5) == 0 ? "" : mask(r, vcpus));
        maybe(r, 0.3, image, "hw_time_hpet", pick(r, BOOLEANS));
        maybe(r, 0.3, image, "hw_architecture", pick(r, ARCHES));
        maybe(r, 0.05, image, "hw_mem_page_size", pick(r, PAGE_SIZES));
        maybe(r, 0.05, image, "hw_locked_memory", pick(r, BOOLEANS));
        maybe(r, 0.05, image, "hypervisor_type", r.nextBoolean() ? "qemu" : "xen");
        return new Request(vcpus, flavor, image);
    }

    /** Caret and positive masks, mostly in range, sometimes empty, all-vCPU or out of range. */
    private static String mask(Random r, int vcpus) {
        int a = r.nextInt(vcpus + 1);
        int b = a + r.nextInt(Math.max(1, vcpus - a + 1));
        String item = a == b ? Integer.toString(a) : a + "-" + b;
        return switch (r.nextInt(6)) {
            case 0, 1 -> "^" + item;
            case 2 -> item;
            case 3 -> "0-" + (vcpus - 1);
            case 4 -> "^0," + item;
            default -> r.nextBoolean() ? "0-1-2" : "^" + item + ",";
        };
    }

    private static void maybe(Random r, double p, Map<String, String> m, String key, String value) {
        if (r.nextDouble() < p) {
            m.put(key, value);
        }
    }

    /** One of {@code values}; the last one, a value Nova rejects, is drawn rarely. */
    private static String pick(Random r, String[] values) {
        return r.nextInt(12) == 0 ? values[values.length - 1] : values[r.nextInt(values.length - 1)];
    }
}
