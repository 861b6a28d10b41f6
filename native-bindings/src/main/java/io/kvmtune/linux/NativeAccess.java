package io.kvmtune.linux;

import java.util.Locale;

/**
 * The gate every facade call passes before its first downcall. Linking a downcall is a
 * restricted operation: without {@code --enable-native-access} the JVM warns (or, with
 * {@code --illegal-native-access=deny}, throws {@link IllegalCallerException} from inside a class
 * initializer). Checking first turns both into one clear error that names the flag.
 */
public final class NativeAccess {

    private NativeAccess() {
    }

    private static final class Check {
        // fixed for the lifetime of the JVM, so computed once
        static final String PROBLEM = problem();
    }

    /** True when this JVM lets kvmtune call Linux. */
    public static boolean isEnabled() {
        return Check.PROBLEM.isEmpty();
    }

    /**
     * The flag that enables native access for this module: {@code --enable-native-access=ALL-UNNAMED}
     * on the class path, {@code --enable-native-access=<module>} on the module path.
     */
    public static String enablingFlag() {
        Module module = NativeAccess.class.getModule();
        return "--enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
    }

    /**
     * Returns normally when Linux can be called.
     *
     * @throws NativeAccessException naming the missing flag or the unsupported platform
     */
    public static void require() {
        String problem = Check.PROBLEM;
        if (!problem.isEmpty()) {
            throw new NativeAccessException(problem);
        }
    }

    private static String problem() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "kvmtune's native bindings need Linux, this JVM runs on " + os;
        }
        if (!NativeAccess.class.getModule().isNativeAccessEnabled()) {
            return "kvmtune calls Linux through the FFM API and needs native access: start java with "
                    + enablingFlag();
        }
        return "";
    }
}
