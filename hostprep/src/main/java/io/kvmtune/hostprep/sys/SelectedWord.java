package io.kvmtune.hostprep.sys;

/**
 * The kernel's "choice" files ({@code transparent_hugepage/enabled}: {@code always [madvise] never},
 * debugfs {@code sched/preempt}) where the active word is bracketed.
 */
public final class SelectedWord {

    private SelectedWord() {
    }

    /**
     * The bracketed word.
     *
     * @throws IllegalArgumentException when no word is bracketed
     */
    public static String of(String text) {
        int open = text.indexOf('[');
        int close = text.indexOf(']', open + 1);
        if (open < 0 || close < 0) {
            throw new IllegalArgumentException("no [selected] word in '" + text.strip() + "'");
        }
        return text.substring(open + 1, close);
    }
}
