package io.kvmtune.core.qemu;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Whatever a QMP peer sends, framing and classification answer with messages or a
 * {@link QmpException}, nothing else.
 */
class QmpReplyFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void framingAndClassificationOnlyThrowQmpException(FuzzedDataProvider data) {
        LineFramer framer = new LineFramer(4096);
        try {
            while (data.remainingBytes() > 0) {
                framer.feed(ByteBuffer.wrap(data.consumeBytes(data.consumeInt(1, 512))));
                for (Optional<String> line = framer.next(); line.isPresent(); line = framer.next()) {
                    QmpMessage.parse(line.get());
                }
            }
        } catch (QmpException expected) {
            // the documented answer to a peer that is not QMP
        }
    }
}
