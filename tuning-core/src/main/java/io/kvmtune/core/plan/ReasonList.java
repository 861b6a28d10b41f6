package io.kvmtune.core.plan;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Supplier;

/**
 * A plan's reasons, some held as the recipe that words them: most reasons quote CPU sets and
 * settings, and formatting them costs more than the planning itself, while many plans (a claims
 * ledger packing a host, an apply) never read their reasons. A recipe only reads immutable values
 * captured when the decision was made, so it gives the same text on every read; nothing is
 * cached, so the list holds no mutable state. Unmodifiable: every mutator is
 * {@link AbstractList}'s, which throws; equal to any list of the same reasons.
 */
final class ReasonList extends AbstractList<Reason> implements RandomAccess {

    /** Each a {@link Reason} or a {@code Supplier<Reason>}. */
    private final Object[] elements;
    private final int size;

    private ReasonList(Object[] elements, int size) {
        this.elements = elements;
        this.size = size;
    }

    /** {@code reasons} itself when it is a {@code ReasonList}, else an immutable copy. */
    static List<Reason> copyOf(List<Reason> reasons) {
        return reasons instanceof ReasonList planned ? planned : List.copyOf(reasons);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Reason get(int i) {
        Objects.checkIndex(i, size);
        return elements[i] instanceof Reason reason ? reason : ((Supplier<Reason>) elements[i]).get();
    }

    @Override
    public int size() {
        return size;
    }

    /** Collects reasons, then hands its array to one list without copying; not usable after {@link #build()}. */
    static final class Builder {

        private Object[] elements = new Object[16];
        private int size;

        void add(Reason reason) {
            append(Objects.requireNonNull(reason));
        }

        /** A reason worded when read; {@code wording} must only read immutable values. */
        void add(Supplier<Reason> wording) {
            append(Objects.requireNonNull(wording));
        }

        void addAll(List<Reason> reasons) {
            for (Reason r : reasons) {
                add(r);
            }
        }

        private void append(Object element) {
            if (size == elements.length) {
                elements = Arrays.copyOf(elements, size * 2);
            }
            elements[size++] = element;
        }

        List<Reason> build() {
            Object[] built = elements;
            elements = null;
            return new ReasonList(built, size);
        }
    }
}
