package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without {@code --enable-native-access} the first call fails with one clear exception that names
 * the flag, instead of an IllegalCallerException from deep inside a class initializer.
 */
class NativeAccessIT {

    @Test
    void aJvmWithoutTheFlagGetsAnErrorNamingIt() throws Exception {
        try (ChildProcess child = ChildProcess.jvm(List.of("--illegal-native-access=deny"), NativeAccessChild.class)) {
            ChildProcess.Finished result = child.finish();
            assertThat(result.status()).isNotZero();
            assertThat(result.output())
                    .contains(NativeAccessException.class.getName() + ": kvmtune calls Linux through the FFM API and"
                            + " needs native access: start java with --enable-native-access=ALL-UNNAMED")
                    .doesNotContain("IllegalCallerException")
                    .doesNotContain("ExceptionInInitializerError");
        }
    }

    @Test
    void aJvmWithTheFlagCallsLinux() throws Exception {
        try (ChildProcess child = ChildProcess.jvm(List.of("--enable-native-access=ALL-UNNAMED",
                "--illegal-native-access=deny"), NativeAccessChild.class)) {
            ChildProcess.Finished result = child.finish();
            assertThat(result.output()).matches("tid \\d+\\R");
            assertThat(result.status()).isZero();
        }
    }

    @Test
    void thisJvmHasNativeAccess() {
        assertThat(NativeAccess.isEnabled()).isTrue();
        assertThat(NativeAccess.enablingFlag()).isEqualTo("--enable-native-access=ALL-UNNAMED");
    }
}
