package analytics.http2.hpack;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one complete header block (a HEADERS frame's fragment and its CONTINUATIONs,
 * joined) into its list of header fields, keeping the dynamic table in step with the
 * peer's encoder. The table outlives the block: one decoder per connection.
 *
 * Pattern: interpreter of a tiny instruction set (§6), one representation per branch;
 *          errors split into "context broken" (HpackException: close the connection) and
 *          "request refused" (HeaderListTooLargeException: the table is still in step).
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 7541 §2.3, §3, §4, §6
 * Not here: frames and CONTINUATION joining (the HTTP/2 connection), HTTP/2's rules on
 *           names and pseudo-headers (RFC 9113 §8.2, the stream layer). Never-indexed
 *           fields come out as plain fields: we are an endpoint, not a proxy that must
 *           keep them never-indexed on the way out (§6.2.3).
 * Threads: one instance per connection, used by its reader; not thread-safe.
 */
public final class HpackDecoder {

    private final DynamicTable table;
    private final int maxTableSize;
    private final int maxHeaderListSize;
    private final PrimitiveReader reader = new PrimitiveReader();

    /**
     * @param maxTableSize      our SETTINGS_HEADER_TABLE_SIZE (4096 by default): the table's
     *                          starting maximum, and the most a size update may ask for.
     *                          Advertise 4096, the protocol's initial value, or else blocks
     *                          sent before the peer saw our SETTINGS may assume 4096 and
     *                          refer to entries this table has already evicted.
     * @param maxHeaderListSize our SETTINGS_MAX_HEADER_LIST_SIZE: the most a decoded list may
     *                          weigh, counting name + value + 32 per field
     */
    public HpackDecoder(int maxTableSize, int maxHeaderListSize) {
        if (maxTableSize < 0 || maxHeaderListSize < 0) {
            throw new IllegalArgumentException("sizes must not be negative: table "
                    + maxTableSize + ", header list " + maxHeaderListSize);
        }
        this.table = new DynamicTable(maxTableSize);
        this.maxTableSize = maxTableSize;
        this.maxHeaderListSize = maxHeaderListSize;
    }

    /**
     * Decodes the whole of {@code block} (from its position to its limit).
     *
     * @throws HpackException              the block breaks RFC 7541; the decoding context is
     *                                     lost, end the connection with COMPRESSION_ERROR
     * @throws HeaderListTooLargeException the block was sound and fully decoded, but its list
     *                                     is over the limit: refuse this request only
     */
    public List<HeaderField> decode(ByteBuffer block)
            throws HpackException, HeaderListTooLargeException {
        List<HeaderField> fields = new ArrayList<>();
        long listSize = 0;
        boolean fieldSeen = false;
        while (block.hasRemaining()) {
            int first = block.get() & 0xFF;
            Representation representation = Representation.of(first);
            int integer = PrimitiveReader.readInteger(first, representation.prefixBits, block);
            if (representation == Representation.DYNAMIC_TABLE_SIZE_UPDATE) {
                if (fieldSeen) {
                    throw new HpackException("dynamic table size update after a header field;"
                            + " it must come first in the block (RFC 7541 §4.2)");
                }
                resizeTable(integer);
                continue;
            }
            fieldSeen = true;
            HeaderField field;
            switch (representation) {
                case INDEXED -> field = indexed(integer);
                case LITERAL_WITH_INCREMENTAL_INDEXING -> {
                    field = new HeaderField(name(integer, block), reader.readString(block));
                    table.add(field);
                }
                case LITERAL_WITHOUT_INDEXING, LITERAL_NEVER_INDEXED -> {
                    String name = name(integer, block);
                    if (listSize > maxHeaderListSize) { // dropped anyway: no String for it
                        listSize += name.length() + reader.skipString(block)
                                + HeaderField.ENTRY_OVERHEAD;
                        continue;
                    }
                    field = new HeaderField(name, reader.readString(block));
                }
                default -> throw new IllegalStateException("not a field: " + representation);
            }
            listSize += field.size();
            if (listSize <= maxHeaderListSize) {
                fields.add(field);
            }
        }
        if (listSize > maxHeaderListSize) {
            throw new HeaderListTooLargeException(listSize, maxHeaderListSize);
        }
        return fields;
    }

    /** The dynamic table, for tests that compare it with RFC 7541 Appendix C. */
    DynamicTable dynamicTable() {
        return table;
    }

    /** §2.3.3: indices 1-61 are the static table, 62 and up the dynamic table, newest first. */
    private HeaderField indexed(int index) throws HpackException {
        if (index == 0) {
            throw new HpackException("indexed field with index 0 (RFC 7541 §6.1: \"MUST be"
                    + " treated as a decoding error\")");
        }
        return entry(index);
    }

    /** §6.2: name index 0 means the name follows as a literal; otherwise it is an index. */
    private String name(int index, ByteBuffer block) throws HpackException {
        return index == 0 ? reader.readString(block) : entry(index).name();
    }

    private HeaderField entry(int index) throws HpackException {
        if (index <= StaticTable.LENGTH) {
            return StaticTable.get(index);
        }
        int dynamicIndex = index - StaticTable.LENGTH;
        if (dynamicIndex > table.length()) {
            throw new HpackException("index " + index + " is past the end of the tables ("
                    + StaticTable.LENGTH + " static + " + table.length()
                    + " dynamic entries, RFC 7541 §2.3.3)");
        }
        return table.get(dynamicIndex);
    }

    /** §6.3: "MUST NOT be greater than the maximum size ... set by the decoder" (§4.2). */
    private void resizeTable(int newMaxSize) throws HpackException {
        if (newMaxSize > maxTableSize) {
            throw new HpackException("dynamic table size update to " + newMaxSize
                    + " is above our SETTINGS_HEADER_TABLE_SIZE of " + maxTableSize
                    + " (RFC 7541 §6.3)");
        }
        table.setMaxSize(newMaxSize);
    }
}
