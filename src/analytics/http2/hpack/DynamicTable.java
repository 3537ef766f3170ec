package analytics.http2.hpack;

/**
 * The header fields a peer chose to remember, newest first: a FIFO bounded by the sum of
 * its entries' sizes, not by their count. Adding evicts from the oldest end until the new
 * entry fits (§4.4); shrinking the maximum evicts the same way (§4.3).
 *
 * <pre>
 *   index:   1        2        ...   length        (+ StaticTable.LENGTH on the wire)
 *          newest  ------------>    oldest  -> evicted first
 * </pre>
 *
 * Pattern: circular buffer over an array that grows by doubling, never past what the
 *          maximum size allows (maxSize / 32 entries, since every entry is at least 32).
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 7541 §2.3.2, §2.3.3, §4.1-§4.4
 * Not here: the static table, and the wire indices (the decoder subtracts 61 first).
 * Threads: one instance per direction of a connection; not thread-safe.
 */
final class DynamicTable {

    private static final int INITIAL_CAPACITY = 16;

    /** Entries in a ring; the capacity is a power of two so positions wrap with a mask. */
    private HeaderField[] ring = new HeaderField[INITIAL_CAPACITY];
    private int newest = -1;
    private int length;
    private int size;
    private int maxSize;

    DynamicTable(int maxSize) {
        this.maxSize = checkedMaxSize(maxSize);
    }

    /** Number of entries. */
    int length() {
        return length;
    }

    /** §4.1: the sum of the entries' sizes (name + value + 32 each). */
    int size() {
        return size;
    }

    int maxSize() {
        return maxSize;
    }

    /** The entry at {@code index}, 1 being the newest; the caller checks the range first. */
    HeaderField get(int index) {
        if (index < 1 || index > length) {
            throw new IndexOutOfBoundsException("index " + index + " of " + length + " entries");
        }
        return ring[(newest - index + 1) & (ring.length - 1)];
    }

    /**
     * §4.4: evict the oldest entries until {@code field} fits, then insert it as index 1.
     * A field larger than the whole table empties it and is not inserted - "not an error".
     */
    void add(HeaderField field) {
        int fieldSize = field.size();
        if (fieldSize > maxSize) {
            evictUntil(0);
            return;
        }
        evictUntil(maxSize - fieldSize);
        if (length == ring.length) {
            grow();
        }
        newest = (newest + 1) & (ring.length - 1);
        ring[newest] = field;
        length++;
        size += fieldSize;
    }

    /** §4.3: a lower maximum evicts the oldest entries until the table fits. */
    void setMaxSize(int newMaxSize) {
        maxSize = checkedMaxSize(newMaxSize);
        evictUntil(maxSize);
    }

    /** The lowest index of an entry equal to {@code name: value}, or 0 when none is. */
    int indexOf(String name, String value) {
        for (int i = 1; i <= length; i++) {
            HeaderField entry = get(i);
            if (entry.name().equals(name) && entry.value().equals(value)) {
                return i;
            }
        }
        return 0;
    }

    /** The lowest index of an entry named {@code name}, or 0 when none is. */
    int indexOfName(String name) {
        for (int i = 1; i <= length; i++) {
            if (get(i).name().equals(name)) {
                return i;
            }
        }
        return 0;
    }

    private void evictUntil(int targetSize) {
        while (size > targetSize) {
            int oldest = (newest - length + 1) & (ring.length - 1);
            size -= ring[oldest].size();
            ring[oldest] = null; // let the evicted strings be collected
            length--;
        }
    }

    /** Doubles the ring, copying the entries oldest first so they stay in order. */
    private void grow() {
        HeaderField[] bigger = new HeaderField[ring.length * 2];
        for (int i = length; i >= 1; i--) {
            bigger[length - i] = get(i);
        }
        ring = bigger;
        newest = length - 1;
    }

    private static int checkedMaxSize(int maxSize) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("table size must not be negative: " + maxSize);
        }
        return maxSize;
    }

    /**
     * The table as RFC 7541 Appendix C prints it, so a test can hold the RFC's own text:
     * {@code [  1] (s =  57) :authority: www.example.com} then {@code Table size:  57}.
     */
    @Override
    public String toString() {
        if (length == 0) {
            return "empty.";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= length; i++) {
            text.append(String.format("[%3d] (s = %3d) %s\n", i, get(i).size(), get(i)));
        }
        return text.append(String.format("      Table size: %3d", size)).toString();
    }
}
