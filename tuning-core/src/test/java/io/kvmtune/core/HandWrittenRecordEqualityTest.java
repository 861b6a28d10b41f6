package io.kvmtune.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.apply.SchedSettings;
import io.kvmtune.core.apply.ThreadState;
import io.kvmtune.core.claims.Claim;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.files.FileVersion;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.linux.SchedPolicy;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The records on the cold apply and hook paths whose equals and hashCode are written out (to spare a
 * short-lived JVM their invokedynamic bootstrap) still mean what a record's generated ones mean:
 * equal exactly when every component is equal. A component added later and left out of equals
 * fails here.
 */
class HandWrittenRecordEqualityTest {

    static Stream<Arguments> records() {
        SchedSettings fifo = new SchedSettings(SchedPolicy.FIFO, 10, 0, 0, 0, 0, 0);
        SchedSettings rr = new SchedSettings(SchedPolicy.RR, 20, 5, 1, 2, 3, 4);
        return Stream.of(
                Arguments.of(new ThreadIdentity(100, 5), new ThreadIdentity(101, 6)),
                Arguments.of(new FileVersion("dev 1 inode 2", 10, FileTime.fromMillis(1)),
                        new FileVersion("dev 1 inode 3", 11, FileTime.fromMillis(2))),
                Arguments.of(fifo, rr),
                Arguments.of(new ThreadState(CpuSet.parse("0-1"), fifo), new ThreadState(CpuSet.parse("2"), rr)),
                Arguments.of(new Claim("uuid-a", "guest-a", CpuSet.parse("2-3"), Optional.empty(), 1000L),
                        new Claim("uuid-b", "guest-b", CpuSet.parse("4"), Optional.of(new ThreadIdentity(7, 8)), 2000L)));
    }

    @ParameterizedTest
    @MethodSource("records")
    void equalExactlyWhenEveryComponentIsEqual(Record base, Record differentInEveryComponent) throws Exception {
        Object[] baseValues = components(base);
        Object[] otherValues = components(differentInEveryComponent);
        Record copy = construct(base, baseValues);
        assertThat(copy).isEqualTo(base).hasSameHashCodeAs(base).isNotSameAs(base);
        for (int i = 0; i < baseValues.length; i++) {
            assertThat(otherValues[i]).as("component %d of the second record must differ", i).isNotEqualTo(baseValues[i]);
            Object[] oneDifferent = Arrays.copyOf(baseValues, baseValues.length);
            oneDifferent[i] = otherValues[i];
            assertThat(construct(base, oneDifferent)).as("differing in component %d", i).isNotEqualTo(base);
        }
        assertThat(base).isNotEqualTo(null).isNotEqualTo("not a record");
    }

    private static Object[] components(Record r) throws ReflectiveOperationException {
        RecordComponent[] rc = r.getClass().getRecordComponents();
        Object[] values = new Object[rc.length];
        for (int i = 0; i < rc.length; i++) {
            values[i] = rc[i].getAccessor().invoke(r);
        }
        return values;
    }

    private static Record construct(Record like, Object[] values) throws ReflectiveOperationException {
        Class<?>[] types = Arrays.stream(like.getClass().getRecordComponents())
                .map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<?> canonical = like.getClass().getDeclaredConstructor(types);
        return (Record) canonical.newInstance(values);
    }
}
