package io.kvmtune.linux;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

/**
 * Runs in a child JVM for {@link MemoryIT}, so that locking all memory never touches the test
 * JVM: locks with the flags named in its arguments, says "locked", waits for "unlock", unlocks,
 * says "unlocked".
 */
public final class MlockallChild {

    private MlockallChild() {
    }

    public static void main(String[] args) throws Exception {
        EnumSet<LockFlag> flags = EnumSet.noneOf(LockFlag.class);
        for (String arg : args) {
            flags.add(LockFlag.valueOf(arg));
        }
        Memory.lockAll(flags);
        System.out.println("locked");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if ("unlock".equals(in.readLine())) {
            Memory.unlockAll();
            System.out.println("unlocked");
            in.readLine();
        }
    }
}
