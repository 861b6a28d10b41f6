package io.kvmtune.core.cpumodel;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests over {@link FakeCpuMap#standard}, read fresh for each test from its own directory. */
abstract class StandardMapFixture {

    @TempDir
    Path dir;

    CpuMap map;

    @BeforeEach
    void readStandardMap() {
        map = CpuMapReader.read(FakeCpuMap.standard(dir), "x86");
    }
}
