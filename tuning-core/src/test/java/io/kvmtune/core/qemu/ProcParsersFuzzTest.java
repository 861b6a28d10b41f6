package io.kvmtune.core.qemu;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * /proc text comes from the kernel, but a comm is chosen by any process: the parsers must answer
 * every input with a value or a {@link ProcFormatException}, nothing else.
 */
class ProcParsersFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void statParsesOrReportsTheFormat(FuzzedDataProvider data) {
        String comm = data.consumeString(32);
        String line = data.consumeBoolean()
                ? FakeProc.statLine(data.consumeInt(1, Integer.MAX_VALUE), comm, 'S', data.consumeInt(0, 99),
                        data.consumeLong(0, Long.MAX_VALUE), data.consumeLong(0, Long.MAX_VALUE), 0, 0, data.consumeInt(0, 9))
                : data.consumeRemainingAsString();
        try {
            ProcStat stat = ProcStat.parse(line);
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            if (stat.startTime() != ProcStat.parseStartTime(bytes, bytes.length)) {
                throw new AssertionError("the two start time readers disagree on: " + line);
            }
            stat.schedPolicy();
        } catch (ProcFormatException expected) {
            // the documented answer to malformed text
        }
    }

    @FuzzTest(maxDuration = "20s")
    void statusParsesOrReportsTheFormat(FuzzedDataProvider data) {
        try {
            ProcStatus.parse(data.consumeRemainingAsString());
        } catch (ProcFormatException expected) {
            // the documented answer to malformed text
        }
    }

    @FuzzTest(maxDuration = "20s")
    void cgroupParsesOrReportsTheFormat(FuzzedDataProvider data) {
        try {
            ProcCgroup.parseAll(data.consumeRemainingAsString());
        } catch (ProcFormatException expected) {
            // the documented answer to malformed text
        }
    }
}
