package analytics.http2.hpack;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The static Huffman code of HPACK: short codes for the octets common in header fields
 * (5 bits for 'a', 'e', '0'), long ones for the rest, and a 30-bit EOS that must never be
 * sent. A string ends on a byte boundary by padding with the first bits of EOS (all ones).
 *
 * Decoding walks the code tree four bits at a time through a table of 256 states x 16
 * nibbles, built once from the code below. Every code is at least 5 bits long, so one
 * nibble completes at most one symbol; each input byte costs two table reads.
 *
 * Pattern: table-driven state machine generated from a spec table at class load.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 7541 §5.2, Appendix B
 * Not here: the length prefix and the H bit of a string literal (PrimitiveReader/Writer).
 * Threads: immutable after class initialisation, so share it freely.
 */
final class Huffman {

    /** Appendix B's last row: "EOS (256)", 30 ones. */
    static final int EOS = 256;
    private static final int SYMBOLS = 257;
    /** A code tree with 257 leaves has 256 inner nodes: the decoder's states; 0 is the root. */
    private static final int STATES = 256;

    /**
     * RFC 7541 Appendix B, "Huffman Code", the column "code as hex aligned to LSB": the
     * code of symbol i (an octet, or EOS) in the low LENGTHS[i] bits. Rows of six symbols.
     */
    private static final int[] CODES = {
        /*   0 */ 0x1ff8, 0x7fffd8, 0xfffffe2, 0xfffffe3, 0xfffffe4, 0xfffffe5,
        /*   6 */ 0xfffffe6, 0xfffffe7, 0xfffffe8, 0xffffea, 0x3ffffffc, 0xfffffe9,
        /*  12 */ 0xfffffea, 0x3ffffffd, 0xfffffeb, 0xfffffec, 0xfffffed, 0xfffffee,
        /*  18 */ 0xfffffef, 0xffffff0, 0xffffff1, 0xffffff2, 0x3ffffffe, 0xffffff3,
        /*  24 */ 0xffffff4, 0xffffff5, 0xffffff6, 0xffffff7, 0xffffff8, 0xffffff9,
        /*  30 */ 0xffffffa, 0xffffffb, 0x14, 0x3f8, 0x3f9, 0xffa,
        /*  36 */ 0x1ff9, 0x15, 0xf8, 0x7fa, 0x3fa, 0x3fb,
        /*  42 */ 0xf9, 0x7fb, 0xfa, 0x16, 0x17, 0x18,
        /*  48 */ 0x0, 0x1, 0x2, 0x19, 0x1a, 0x1b,
        /*  54 */ 0x1c, 0x1d, 0x1e, 0x1f, 0x5c, 0xfb,
        /*  60 */ 0x7ffc, 0x20, 0xffb, 0x3fc, 0x1ffa, 0x21,
        /*  66 */ 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62,
        /*  72 */ 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        /*  78 */ 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e,
        /*  84 */ 0x6f, 0x70, 0x71, 0x72, 0xfc, 0x73,
        /*  90 */ 0xfd, 0x1ffb, 0x7fff0, 0x1ffc, 0x3ffc, 0x22,
        /*  96 */ 0x7ffd, 0x3, 0x23, 0x4, 0x24, 0x5,
        /* 102 */ 0x25, 0x26, 0x27, 0x6, 0x74, 0x75,
        /* 108 */ 0x28, 0x29, 0x2a, 0x7, 0x2b, 0x76,
        /* 114 */ 0x2c, 0x8, 0x9, 0x2d, 0x77, 0x78,
        /* 120 */ 0x79, 0x7a, 0x7b, 0x7ffe, 0x7fc, 0x3ffd,
        /* 126 */ 0x1ffd, 0xffffffc, 0xfffe6, 0x3fffd2, 0xfffe7, 0xfffe8,
        /* 132 */ 0x3fffd3, 0x3fffd4, 0x3fffd5, 0x7fffd9, 0x3fffd6, 0x7fffda,
        /* 138 */ 0x7fffdb, 0x7fffdc, 0x7fffdd, 0x7fffde, 0xffffeb, 0x7fffdf,
        /* 144 */ 0xffffec, 0xffffed, 0x3fffd7, 0x7fffe0, 0xffffee, 0x7fffe1,
        /* 150 */ 0x7fffe2, 0x7fffe3, 0x7fffe4, 0x1fffdc, 0x3fffd8, 0x7fffe5,
        /* 156 */ 0x3fffd9, 0x7fffe6, 0x7fffe7, 0xffffef, 0x3fffda, 0x1fffdd,
        /* 162 */ 0xfffe9, 0x3fffdb, 0x3fffdc, 0x7fffe8, 0x7fffe9, 0x1fffde,
        /* 168 */ 0x7fffea, 0x3fffdd, 0x3fffde, 0xfffff0, 0x1fffdf, 0x3fffdf,
        /* 174 */ 0x7fffeb, 0x7fffec, 0x1fffe0, 0x1fffe1, 0x3fffe0, 0x1fffe2,
        /* 180 */ 0x7fffed, 0x3fffe1, 0x7fffee, 0x7fffef, 0xfffea, 0x3fffe2,
        /* 186 */ 0x3fffe3, 0x3fffe4, 0x7ffff0, 0x3fffe5, 0x3fffe6, 0x7ffff1,
        /* 192 */ 0x3ffffe0, 0x3ffffe1, 0xfffeb, 0x7fff1, 0x3fffe7, 0x7ffff2,
        /* 198 */ 0x3fffe8, 0x1ffffec, 0x3ffffe2, 0x3ffffe3, 0x3ffffe4, 0x7ffffde,
        /* 204 */ 0x7ffffdf, 0x3ffffe5, 0xfffff1, 0x1ffffed, 0x7fff2, 0x1fffe3,
        /* 210 */ 0x3ffffe6, 0x7ffffe0, 0x7ffffe1, 0x3ffffe7, 0x7ffffe2, 0xfffff2,
        /* 216 */ 0x1fffe4, 0x1fffe5, 0x3ffffe8, 0x3ffffe9, 0xffffffd, 0x7ffffe3,
        /* 222 */ 0x7ffffe4, 0x7ffffe5, 0xfffec, 0xfffff3, 0xfffed, 0x1fffe6,
        /* 228 */ 0x3fffe9, 0x1fffe7, 0x1fffe8, 0x7ffff3, 0x3fffea, 0x3fffeb,
        /* 234 */ 0x1ffffee, 0x1ffffef, 0xfffff4, 0xfffff5, 0x3ffffea, 0x7ffff4,
        /* 240 */ 0x3ffffeb, 0x7ffffe6, 0x3ffffec, 0x3ffffed, 0x7ffffe7, 0x7ffffe8,
        /* 246 */ 0x7ffffe9, 0x7ffffea, 0x7ffffeb, 0xffffffe, 0x7ffffec, 0x7ffffed,
        /* 252 */ 0x7ffffee, 0x7ffffef, 0x7fffff0, 0x3ffffee, 0x3fffffff,
    };

    /** Appendix B, the column "len in bits", rows of sixteen symbols. */
    private static final byte[] LENGTHS = {
        /*   0 */ 13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
        /*  16 */ 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        /*  32 */  6, 10, 10, 12, 13,  6,  8, 11, 10, 10,  8, 11,  8,  6,  6,  6,
        /*  48 */  5,  5,  5,  6,  6,  6,  6,  6,  6,  6,  7,  8, 15,  6, 12, 10,
        /*  64 */ 13,  6,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
        /*  80 */  7,  7,  7,  7,  7,  7,  7,  7,  8,  7,  8, 13, 19, 13, 14,  6,
        /*  96 */ 15,  5,  6,  5,  6,  5,  6,  6,  6,  5,  7,  7,  6,  6,  6,  5,
        /* 112 */  6,  7,  6,  5,  5,  6,  7,  7,  7,  7,  7, 15, 11, 14, 13, 28,
        /* 128 */ 20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
        /* 144 */ 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        /* 160 */ 22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
        /* 176 */ 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        /* 192 */ 26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
        /* 208 */ 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        /* 224 */ 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
        /* 240 */ 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        /* 256 */ 30,
    };

    // One decoder step: the state after a nibble, and the symbol it completed, if any.
    private static final int STATE_MASK = 0xFF;
    private static final int EMITS = 1 << 8;
    private static final int DECODED_EOS = 1 << 9;
    private static final int SYMBOL_SHIFT = 16;

    /** Indexed by state * 16 + nibble. */
    private static final int[] TRANSITIONS = new int[STATES * 16];
    /** For states reached from the root by ones only, how many ones; -1 for the others. */
    private static final int[] ONES_DEPTH = new int[STATES];

    static {
        buildDecoder();
    }

    private Huffman() {
    }

    /** Appendix B: the code of {@code symbol}, aligned to the least significant bit. */
    static int code(int symbol) {
        return CODES[symbol];
    }

    /** Appendix B: the length in bits of the code of {@code symbol}. */
    static int codeLength(int symbol) {
        return LENGTHS[symbol];
    }

    /** The octets {@code value} takes once Huffman-coded, padding included. */
    static int encodedLength(String value) {
        long bits = 0;
        for (int i = 0; i < value.length(); i++) {
            bits += LENGTHS[octet(value, i)];
        }
        return (int) ((bits + 7) >>> 3);
    }

    /**
     * Writes the code of {@code value} into {@code out} from {@code offset}, padded with ones
     * to the byte boundary (§5.2); answers the offset after it. {@code out} must have room
     * for {@link #encodedLength} octets.
     */
    static int encode(String value, byte[] out, int offset) {
        long pending = 0; // bits not yet written, in the low pendingBits bits (at most 7 + 30)
        int pendingBits = 0;
        int at = offset;
        for (int i = 0; i < value.length(); i++) {
            int symbol = value.charAt(i);
            int length = LENGTHS[symbol];
            pending = (pending << length) | CODES[symbol];
            pendingBits += length;
            while (pendingBits >= 8) {
                pendingBits -= 8;
                out[at++] = (byte) (pending >>> pendingBits);
            }
        }
        if (pendingBits > 0) { // the most significant bits of EOS are all ones
            out[at++] = (byte) ((pending << (8 - pendingBits)) | (0xFF >>> pendingBits));
        }
        return at;
    }

    /** The most octets {@code encodedLength} octets can decode to: 5 bits is the shortest code. */
    static int maxDecodedLength(int encodedLength) {
        return (int) (encodedLength * 8L / 5);
    }

    /**
     * Decodes the next {@code length} octets of {@code in} into {@code out}, which must hold
     * {@link #maxDecodedLength}; answers the number of octets decoded.
     *
     * @throws HpackException for EOS inside the string, or padding that is longer than 7
     *                        bits or not all ones (§5.2: "MUST be treated as a decoding error")
     */
    static int decode(ByteBuffer in, int length, byte[] out) throws HpackException {
        int state = 0;
        int decoded = 0;
        for (int i = 0; i < length; i++) {
            int octet = in.get() & 0xFF;
            int step = TRANSITIONS[(state << 4) | (octet >>> 4)];
            if ((step & (EMITS | DECODED_EOS)) != 0) {
                if ((step & DECODED_EOS) != 0) {
                    throw eosInString();
                }
                out[decoded++] = (byte) (step >>> SYMBOL_SHIFT);
            }
            step = TRANSITIONS[((step & STATE_MASK) << 4) | (octet & 0x0F)];
            if ((step & (EMITS | DECODED_EOS)) != 0) {
                if ((step & DECODED_EOS) != 0) {
                    throw eosInString();
                }
                out[decoded++] = (byte) (step >>> SYMBOL_SHIFT);
            }
            state = step & STATE_MASK;
        }
        if (state != 0) { // ended inside a code: only 1 to 7 bits of EOS may be left
            int ones = ONES_DEPTH[state];
            if (ones < 0) {
                throw new HpackException("Huffman string ends with padding that is not all"
                        + " ones (not a prefix of EOS, RFC 7541 §5.2)");
            }
            if (ones > 7) {
                throw new HpackException("Huffman string ends with " + ones
                        + " bits of padding; at most 7 are allowed (RFC 7541 §5.2)");
            }
        }
        return decoded;
    }

    private static HpackException eosInString() {
        return new HpackException("Huffman string contains the EOS symbol (RFC 7541 §5.2)");
    }

    private static int octet(String value, int i) {
        char c = value.charAt(i);
        if (c > 0xFF) {
            throw new IllegalArgumentException("header text must be ISO-8859-1 octets, found U+"
                    + Integer.toHexString(c).toUpperCase() + " at " + i);
        }
        return c;
    }

    /**
     * Builds the code tree from CODES and LENGTHS, then the nibble transitions from the tree.
     * The tree is checked to be a complete prefix code, so a mistyped row of the table fails
     * at class load instead of decoding one octet wrongly.
     */
    private static void buildDecoder() {
        // children[bit][node]: an inner node's number (> 0), or -(symbol + 1) for a leaf.
        int[][] children = new int[2][STATES];
        int innerNodes = 1;
        for (int symbol = 0; symbol < SYMBOLS; symbol++) {
            int node = 0;
            for (int bit = LENGTHS[symbol] - 1; bit >= 0; bit--) {
                int branch = (CODES[symbol] >>> bit) & 1;
                int child = children[branch][node];
                if (child < 0 || (child > 0 && bit == 0)) {
                    throw new ExceptionInInitializerError("Huffman code of " + symbol
                            + " overlaps another code: check the transcription of Appendix B");
                }
                if (bit == 0) {
                    children[branch][node] = -(symbol + 1);
                } else if (child == 0) {
                    if (innerNodes == STATES) {
                        throw new ExceptionInInitializerError("Huffman code is not complete");
                    }
                    children[branch][node] = innerNodes++;
                    node = innerNodes - 1;
                } else {
                    node = child;
                }
            }
        }
        if (innerNodes != STATES) {
            throw new ExceptionInInitializerError("Huffman code is not complete");
        }
        for (int state = 0; state < STATES; state++) {
            for (int nibble = 0; nibble < 16; nibble++) {
                TRANSITIONS[(state << 4) | nibble] = step(children, state, nibble);
            }
        }
        Arrays.fill(ONES_DEPTH, -1);
        for (int node = 0, ones = 0; node >= 0 && ones < 30; ones++) {
            ONES_DEPTH[node] = ones;
            node = children[1][node];
        }
    }

    private static int step(int[][] children, int state, int nibble) {
        int node = state;
        int result = 0;
        for (int bit = 3; bit >= 0; bit--) {
            int child = children[(nibble >>> bit) & 1][node];
            if (child >= 0) {
                node = child;
                continue;
            }
            int symbol = -child - 1;
            if (symbol == EOS) {
                return DECODED_EOS;
            }
            result = EMITS | (symbol << SYMBOL_SHIFT);
            node = 0;
        }
        return result | node;
    }
}
