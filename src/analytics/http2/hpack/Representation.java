package analytics.http2.hpack;

/**
 * The five things the first octet of an HPACK instruction can announce, told apart by
 * its leading bits; the bits after them start an integer with the prefix given here.
 *
 * <pre>
 *   1xxxxxxx  indexed field               §6.1    index, 7-bit prefix
 *   01xxxxxx  literal, incremental index  §6.2.1  name index (0 = literal name), 6-bit
 *   001xxxxx  dynamic table size update   §6.3    new maximum size, 5-bit
 *   0001xxxx  literal, never indexed      §6.2.3  name index, 4-bit
 *   0000xxxx  literal, without indexing   §6.2.2  name index, 4-bit
 * </pre>
 *
 * Pattern: enum carrying its wire value (pattern bits and prefix length).
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 7541 §6
 * Not here: what each one does to the table (HpackDecoder, HpackEncoder).
 * Threads: immutable.
 */
enum Representation {
    INDEXED(0x80, 7),
    LITERAL_WITH_INCREMENTAL_INDEXING(0x40, 6),
    DYNAMIC_TABLE_SIZE_UPDATE(0x20, 5),
    LITERAL_NEVER_INDEXED(0x10, 4),
    LITERAL_WITHOUT_INDEXING(0x00, 4);

    /** The bits above the integer's prefix in the first octet. */
    final int pattern;
    /** N of the integer that follows the pattern (§5.1). */
    final int prefixBits;

    Representation(int pattern, int prefixBits) {
        this.pattern = pattern;
        this.prefixBits = prefixBits;
    }

    /** The representation whose pattern starts {@code firstOctet}; every octet has one. */
    static Representation of(int firstOctet) {
        if ((firstOctet & 0x80) != 0) {
            return INDEXED;
        }
        if ((firstOctet & 0x40) != 0) {
            return LITERAL_WITH_INCREMENTAL_INDEXING;
        }
        if ((firstOctet & 0x20) != 0) {
            return DYNAMIC_TABLE_SIZE_UPDATE;
        }
        if ((firstOctet & 0x10) != 0) {
            return LITERAL_NEVER_INDEXED;
        }
        return LITERAL_WITHOUT_INDEXING;
    }
}
