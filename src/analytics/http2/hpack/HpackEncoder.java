package analytics.http2.hpack;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Turns a list of header fields into one header block, keeping its own dynamic table in
 * step with the table the peer's decoder will build from our blocks.
 *
 * The policy is simple and predictable: a field in the static or dynamic table goes out
 * as an index; a few response fields whose values repeat from one response to the next
 * (:status, date, content-type, server, ...) are added to the dynamic table; credentials are
 * sent never-indexed (§7.1.3); everything else is a literal without indexing, naming a
 * static entry when one has the name. Strings are Huffman-coded when that is shorter.
 *
 * Pattern: encoder with no I/O, a mirror of the peer's decoder state; table size changes
 *          announced at the start of the next block (§4.2).
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 7541 §2.3, §4, §6, §7.1.3
 * Not here: frames; splitting a block into HEADERS + CONTINUATION (the HTTP/2 connection).
 * Threads: one instance per connection, not thread-safe. The peer decodes blocks in the
 *          order they arrive, so blocks must leave in the order they were encoded: the
 *          connection's one writer thread does both (two blocks encoded in one order and
 *          sent in the other break the peer).
 */
public final class HpackEncoder {

    /** RFC 9113 §6.5.2: SETTINGS_HEADER_TABLE_SIZE starts at 4096 until the peer says more. */
    static final int INITIAL_TABLE_SIZE = 4096;
    /**
     * The most table we keep for the peer, whatever it allows: a handful of repeated
     * response fields fill a fraction of it, and a bigger table would only cost memory.
     */
    static final int OWN_TABLE_LIMIT = 4096;

    private final DynamicTable table = new DynamicTable(INITIAL_TABLE_SIZE);
    private final PrimitiveWriter writer = new PrimitiveWriter();

    /** §4.2: a size change not yet announced; the smallest size since the last block first. */
    private boolean sizeUpdatePending;
    private int smallestPendingSize;
    private int pendingSize;

    public HpackEncoder() {
    }

    /**
     * The peer's SETTINGS_HEADER_TABLE_SIZE changed. The next block starts with the size
     * updates §4.2 asks for: the smallest size reached since the last block, if it is below
     * the final one (so the peer evicts what we evicted), then the final size.
     */
    public void setMaxTableSize(int peerHeaderTableSize) {
        if (peerHeaderTableSize < 0) {
            throw new IllegalArgumentException("table size must not be negative: "
                    + peerHeaderTableSize);
        }
        int size = Math.min(peerHeaderTableSize, OWN_TABLE_LIMIT);
        if (!sizeUpdatePending) {
            if (size == table.maxSize()) {
                return;
            }
            sizeUpdatePending = true;
            smallestPendingSize = size;
        }
        smallestPendingSize = Math.min(smallestPendingSize, size);
        pendingSize = size;
    }

    /**
     * Appends the header block for {@code fields} to {@code out}, in one write.
     *
     * @throws IllegalArgumentException when a name or value has a char above U+00FF (header
     *                                  text is octets); nothing is written and the table is
     *                                  untouched, so the connection can go on
     */
    public void encode(List<HeaderField> fields, ByteArrayOutputStream out) {
        for (int i = 0; i < fields.size(); i++) { // before the table changes: all or nothing
            checkOctets(fields.get(i));
        }
        writer.reset();
        if (sizeUpdatePending) {
            if (smallestPendingSize < pendingSize) {
                writeSizeUpdate(smallestPendingSize);
            }
            writeSizeUpdate(pendingSize);
            sizeUpdatePending = false;
        }
        for (int i = 0; i < fields.size(); i++) {
            encodeField(fields.get(i));
        }
        writer.writeTo(out);
    }

    /** The dynamic table as the peer's decoder should have it, for tests. */
    DynamicTable dynamicTable() {
        return table;
    }

    private void encodeField(HeaderField field) {
        String name = field.name();
        String value = field.value();
        int index = StaticTable.indexOf(name, value);
        if (index == 0) {
            int dynamicIndex = table.indexOf(name, value);
            index = dynamicIndex == 0 ? 0 : StaticTable.LENGTH + dynamicIndex;
        }
        if (index != 0) { // §6.1
            write(Representation.INDEXED, index);
            return;
        }
        int nameIndex = StaticTable.indexOfName(name);
        if (nameIndex == 0) {
            int dynamicIndex = table.indexOfName(name);
            nameIndex = dynamicIndex == 0 ? 0 : StaticTable.LENGTH + dynamicIndex;
        }
        Representation representation = representationOf(field);
        write(representation, nameIndex); // §6.2: name index 0 means "a literal name follows"
        if (nameIndex == 0) {
            writer.writeString(name);
        }
        writer.writeString(value);
        if (representation == Representation.LITERAL_WITH_INCREMENTAL_INDEXING) {
            table.add(field);
        }
    }

    private Representation representationOf(HeaderField field) {
        return switch (field.name()) {
            // Values that repeat response after response: worth a table entry each. A date
            // repeats for a second - thousands of responses under load - then takes a new entry.
            case ":status", "date", "content-type", "server", "cache-control", "vary", "allow",
                    "access-control-allow-origin", "x-content-type-options" ->
                    field.size() <= table.maxSize()
                            ? Representation.LITERAL_WITH_INCREMENTAL_INDEXING
                            : Representation.LITERAL_WITHOUT_INDEXING;
            // §7.1.3: secrets short enough to guess stay out of every table on the path.
            case "authorization", "proxy-authorization", "cookie", "set-cookie" ->
                    Representation.LITERAL_NEVER_INDEXED;
            default -> Representation.LITERAL_WITHOUT_INDEXING;
        };
    }

    private void writeSizeUpdate(int size) { // §6.3
        write(Representation.DYNAMIC_TABLE_SIZE_UPDATE, size);
        table.setMaxSize(size);
    }

    private void write(Representation representation, int integer) {
        writer.writeInteger(representation.pattern, representation.prefixBits, integer);
    }

    private static void checkOctets(HeaderField field) {
        checkOctets(field.name(), "name");
        checkOctets(field.value(), "value");
    }

    private static void checkOctets(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                throw new IllegalArgumentException("header " + what + " must be ISO-8859-1"
                        + " octets, found U+" + Integer.toHexString(text.charAt(i)).toUpperCase()
                        + " at " + i + " in \"" + text + "\"");
            }
        }
    }
}
