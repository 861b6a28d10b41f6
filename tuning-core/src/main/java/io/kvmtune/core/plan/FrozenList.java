package io.kvmtune.core.plan;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An unmodifiable list over an array that nothing else references, so the plan records can take
 * a list the planner built without the defensive copy {@link List#copyOf} makes of any list it
 * does not know to be immutable. Every mutator is {@link AbstractList}'s, which throws.
 */
final class FrozenList<E> extends AbstractList<E> implements RandomAccess {

    private final Object[] elements;
    private final int size;

    private FrozenList(Object[] elements, int size) {
        this.elements = elements;
        this.size = size;
    }

    /** {@code list} itself when it is already immutable (a {@code FrozenList}), else an immutable copy. */
    static <E> List<E> copyOf(List<E> list) {
        return list instanceof FrozenList<E> frozen ? frozen : List.copyOf(list);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int i) {
        Objects.checkIndex(i, size);
        return (E) elements[i];
    }

    @Override
    public int size() {
        return size;
    }

    /**
     * Collects elements, then hands its array to one {@link FrozenList} without copying; it must
     * not be used after {@link #freeze()}.
     */
    static final class Builder<E> {

        private Object[] elements;
        private int size;

        Builder(int capacity) {
            elements = new Object[capacity];
        }

        void add(E element) {
            if (size == elements.length) {
                elements = Arrays.copyOf(elements, Math.max(8, size * 2));
            }
            elements[size++] = Objects.requireNonNull(element);
        }

        void addAll(List<? extends E> more) {
            for (E e : more) {
                add(e);
            }
        }

        List<E> freeze() {
            Object[] frozen = elements;
            elements = null;
            return new FrozenList<>(frozen, size);
        }
    }
}
