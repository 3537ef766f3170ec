package analytics.http2.hpack;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads HPACK's two primitive types from a header block: integers with an N-bit prefix
 * and string literals, raw or Huffman-coded. The block is complete, so running out of
 * bytes is an error here, not "wait for more".
 *
 * <pre>
 *   §5.1 integer (N = 5)              §5.2 string literal
 *     0   1   2   3   4   5   6   7     0   1   2   3   4   5   6   7
 *   +---+---+---+---+---+---+---+---+ +---+---+---+---+---+---+---+---+
 *   | ? | ? | ? | 1   1   1   1   1 | | H |    String Length (7+)     |
 *   +---+---+---+-------------------+ +---+---------------------------+
 *   | 1 |    Value-(2^N-1) LSB      | |  String Data (Length octets)  |
 *   +---+---------------------------+ +-------------------------------+
 *   | 0 |    Value-(2^N-1) MSB      |
 *   +---+---------------------------+
 * </pre>
 *
 * Pattern: bounds checked before allocation - a length is compared with the bytes left in
 *          the block before any buffer is sized from it, so a lying length costs nothing.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 7541 §5.1, §5.2
 * Not here: what the integers mean (HpackDecoder), the Huffman code itself (Huffman).
 * Threads: one instance per decoder (it keeps a scratch buffer); not thread-safe.
 */
final class PrimitiveReader {

    /** Bigger scratch buffers are used once and dropped, so one odd block is not kept. */
    private static final int KEPT_SCRATCH = 8 * 1024;
    /** A 32-bit int holds the 2^N-1 prefix plus at most 5 continuation octets of 7 bits. */
    private static final int MAX_CONTINUATION_SHIFT = 28;

    private byte[] scratch = new byte[256];

    /**
     * §5.1: the integer whose N-bit prefix is in the low bits of {@code firstOctet}
     * (already read from {@code in}), continued in {@code in} when the prefix is all ones.
     *
     * @throws HpackException when the block ends inside the integer, or the integer does
     *                        not fit an int ("decoders MUST guard against overflow")
     */
    static int readInteger(int firstOctet, int prefixBits, ByteBuffer in) throws HpackException {
        int prefixMax = (1 << prefixBits) - 1;
        int prefix = firstOctet & prefixMax;
        if (prefix < prefixMax) {
            return prefix;
        }
        long value = prefixMax;
        for (int shift = 0; ; shift += 7) {
            if (!in.hasRemaining()) {
                throw new HpackException("header block ends inside an integer (RFC 7541 §5.1)");
            }
            int octet = in.get() & 0xFF;
            value += (long) (octet & 0x7F) << shift;
            if (value > Integer.MAX_VALUE) {
                throw new HpackException("integer over " + Integer.MAX_VALUE
                        + " (RFC 7541 §5.1: decoders must guard against overflow)");
            }
            if ((octet & 0x80) == 0) {
                return (int) value;
            }
            if (shift == MAX_CONTINUATION_SHIFT) {
                throw new HpackException("integer of more than 5 continuation octets does not"
                        + " fit in 31 bits (RFC 7541 §5.1)");
            }
        }
    }

    /** §5.2: the next string literal as ISO-8859-1 text, one char per octet. */
    String readString(ByteBuffer in) throws HpackException {
        int first = readOctet(in);
        int length = readInteger(first, 7, in);
        checkLength(length, in);
        if ((first & 0x80) == 0) {
            return raw(in, length);
        }
        byte[] out = scratch(Huffman.maxDecodedLength(length));
        int decoded = Huffman.decode(in, length, out);
        return new String(out, 0, decoded, StandardCharsets.ISO_8859_1);
    }

    /**
     * Passes over the next string literal without making a String of it, for a field that
     * will be dropped anyway; answers its length in octets once decoded. A Huffman string
     * is still decoded: its errors must be found.
     */
    int skipString(ByteBuffer in) throws HpackException {
        int first = readOctet(in);
        int length = readInteger(first, 7, in);
        checkLength(length, in);
        if ((first & 0x80) == 0) {
            in.position(in.position() + length);
            return length;
        }
        return Huffman.decode(in, length, scratch(Huffman.maxDecodedLength(length)));
    }

    static int readOctet(ByteBuffer in) throws HpackException {
        if (!in.hasRemaining()) {
            throw new HpackException("header block ends where a string literal should start"
                    + " (RFC 7541 §5.2)");
        }
        return in.get() & 0xFF;
    }

    private static void checkLength(int length, ByteBuffer in) throws HpackException {
        if (length > in.remaining()) {
            throw new HpackException("string literal of " + length + " octets, but only "
                    + in.remaining() + " are left in the header block (RFC 7541 §5.2)");
        }
    }

    private String raw(ByteBuffer in, int length) {
        String text;
        if (in.hasArray()) { // the common case: no copy but the String's own
            text = new String(in.array(), in.arrayOffset() + in.position(), length,
                    StandardCharsets.ISO_8859_1);
            in.position(in.position() + length);
        } else {
            byte[] out = scratch(length);
            in.get(out, 0, length);
            text = new String(out, 0, length, StandardCharsets.ISO_8859_1);
        }
        return text;
    }

    private byte[] scratch(int capacity) {
        if (capacity <= scratch.length) {
            return scratch;
        }
        byte[] bigger = new byte[Math.max(capacity, scratch.length * 2)];
        if (bigger.length <= KEPT_SCRATCH) {
            scratch = bigger;
        }
        return bigger;
    }
}
