package analytics.http2.hpack;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Writes HPACK's primitive types into a growable byte array: integers with an N-bit
 * prefix (§5.1) and string literals (§5.2), Huffman-coded when that is shorter. The
 * encoder builds a whole block here and hands it over in one write.
 *
 * Pattern: builder over a reusable byte array - no per-octet calls on a synchronized
 *          stream, no allocation once the array has grown to the usual block size.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 7541 §5.1, §5.2
 * Not here: which representation to write (HpackEncoder).
 * Threads: one instance per encoder; not thread-safe.
 */
final class PrimitiveWriter {

    /** §5.2: the H bit, "whether or not the octets of the string are Huffman encoded". */
    static final int HUFFMAN_FLAG = 0x80;

    private byte[] bytes = new byte[256];
    private int length;

    /**
     * §5.1: {@code value} with an N-bit prefix; {@code flags} are the representation's bits
     * above the prefix in the first octet.
     */
    void writeInteger(int flags, int prefixBits, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("HPACK integers are not negative: " + value);
        }
        ensureRoom(6); // one prefix octet and at most five continuation octets
        int prefixMax = (1 << prefixBits) - 1;
        if (value < prefixMax) {
            bytes[length++] = (byte) (flags | value);
            return;
        }
        bytes[length++] = (byte) (flags | prefixMax);
        int rest = value - prefixMax;
        while (rest >= 0x80) {
            bytes[length++] = (byte) (0x80 | (rest & 0x7F));
            rest >>>= 7;
        }
        bytes[length++] = (byte) rest;
    }

    /**
     * §5.2: {@code value} as a string literal, Huffman-coded only when strictly shorter.
     *
     * @throws IllegalArgumentException for a char above U+00FF: header text is octets
     */
    void writeString(String value) {
        int huffmanLength = Huffman.encodedLength(value); // also checks every char is an octet
        if (huffmanLength < value.length()) {
            writeInteger(HUFFMAN_FLAG, 7, huffmanLength);
            ensureRoom(huffmanLength);
            length = Huffman.encode(value, bytes, length);
        } else {
            writeInteger(0, 7, value.length());
            ensureRoom(value.length());
            for (int i = 0; i < value.length(); i++) {
                bytes[length++] = (byte) value.charAt(i);
            }
        }
    }

    /** Octets written since the last {@link #reset}. */
    int length() {
        return length;
    }

    void reset() {
        length = 0;
    }

    void writeTo(ByteArrayOutputStream out) {
        out.write(bytes, 0, length);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensureRoom(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
