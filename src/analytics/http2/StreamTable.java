package analytics.http2;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * The streams of one connection by id: an open-addressing table keyed by a primitive int,
 * so finding the stream of a frame allocates nothing (a HashMap would box every id).
 *
 * Client stream ids are odd and increasing (§5.1.1), so {@code id >>> 1} numbers them
 * 0, 1, 2, ... and consecutive streams land in consecutive slots: no hashing needed.
 *
 * Pattern: a specialised collection where the general one costs on every frame.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §5.1.1 (stream identifiers)
 * Not here: when closed streams may be forgotten (the connection calls removeIf).
 * Threads: the connection's reader thread only.
 */
final class StreamTable implements Iterable<Stream> {

    private Stream[] slots;
    private int size;

    StreamTable(int expectedStreams) {
        slots = new Stream[capacityFor(expectedStreams)];
    }

    /** A power of two at least twice the count, so probes stay short. */
    private static int capacityFor(int count) {
        return Integer.highestOneBit(Math.max(8, count * 2 - 1)) << 1;
    }

    Stream get(int id) {
        int mask = slots.length - 1;
        for (int i = (id >>> 1) & mask; ; i = (i + 1) & mask) {
            Stream stream = slots[i];
            if (stream == null || stream.id == id) {
                return stream;
            }
        }
    }

    /** Adds a stream whose id is not in the table yet. */
    void put(Stream stream) {
        if ((size + 1) * 2 > slots.length) {
            rebuild(capacityFor(size + 1), kept -> true);
        }
        insert(slots, stream);
        size++;
    }

    int size() {
        return size;
    }

    /** Drops every stream the predicate picks; a rebuild, so call it now and then, not per frame. */
    void removeIf(Predicate<Stream> remove) {
        rebuild(slots.length, remove.negate());
    }

    /** Every stream, in no particular order; the table must not change while iterating. */
    @Override
    public Iterator<Stream> iterator() {
        return new Iterator<>() {
            private int next = advance(0);

            private int advance(int from) {
                int i = from;
                while (i < slots.length && slots[i] == null) {
                    i++;
                }
                return i;
            }

            @Override
            public boolean hasNext() {
                return next < slots.length;
            }

            @Override
            public Stream next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Stream stream = slots[next];
                next = advance(next + 1);
                return stream;
            }
        };
    }

    private void rebuild(int capacity, Predicate<Stream> keep) {
        Stream[] old = slots;
        slots = new Stream[capacity];
        size = 0;
        for (Stream stream : old) {
            if (stream != null && keep.test(stream)) {
                insert(slots, stream);
                size++;
            }
        }
    }

    private static void insert(Stream[] table, Stream stream) {
        int mask = table.length - 1;
        int i = (stream.id >>> 1) & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = stream;
    }
}
