package io.kvmtune.linux;

/** Runs in a child JVM for {@link NativeAccessIT}: makes one call and prints the thread id. */
public final class NativeAccessChild {

    private NativeAccessChild() {
    }

    public static void main(String[] args) {
        System.out.println("tid " + Threads.currentTid());
    }
}
