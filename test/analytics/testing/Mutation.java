package analytics.testing;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One way to damage a valid input a little, the way a buggy or hostile peer would: a bit
 * flipped, bytes inserted, lost or repeated, the input cut short, a length field set to an
 * extreme. Small damage to a valid input reaches deep into a decoder; random bytes alone
 * are refused at the first byte.
 *
 * Pattern: mutation-based fuzzing - valid seeds, small random edits (as AFL and libFuzzer do).
 * Lesson:  lessons/03-validating-untrusted-input.md
 * Not here: choosing seeds and running the target (Fuzzer).
 * Threads: stateless; the random source is the caller's.
 */
public enum Mutation {
    FLIP_BIT,
    RANDOM_BYTE,
    INSERT_RANDOM_BYTES,
    DELETE_RANGE,
    DUPLICATE_RANGE,
    TRUNCATE,
    /** Where a length or a count sits, these are the values that find the off-by-ones. */
    EXTREME_VALUE,
    /** A token of the protocol ("\r\n", an HPACK integer...), inserted or written over. */
    TOKEN,
    /**
     * A run of digits, or of letters, swapped for a token: in a text protocol this turns one
     * whole value ("42.5", "chunked", "1F") into another ("1e999"), where a byte edit makes
     * a syntax error.
     */
    REPLACE_RUN,
    /** A piece of another seed: two valid halves make an input no random edit would. */
    SPLICE;

    /** Big-endian field widths: a byte, WebSocket's 16 and 64 bits, HTTP/2's 24 and 32. */
    private static final int[] WIDTHS = {1, 2, 3, 4, 8};
    private static final int MAX_INSERT = 16;

    /** A damaged copy of {@code input}; {@code input} itself is never changed. */
    public byte[] apply(byte[] input, SplittableRandom random, List<byte[]> seeds,
            List<byte[]> tokens) {
        int length = input.length;
        return switch (this) {
            case FLIP_BIT -> {
                if (length == 0) {
                    yield input;
                }
                byte[] out = input.clone();
                int at = random.nextInt(length);
                out[at] ^= (byte) (1 << random.nextInt(8));
                yield out;
            }
            case RANDOM_BYTE -> {
                if (length == 0) {
                    yield input;
                }
                byte[] out = input.clone();
                out[random.nextInt(length)] = (byte) random.nextInt(256);
                yield out;
            }
            case INSERT_RANDOM_BYTES -> {
                byte[] bytes = new byte[1 + random.nextInt(MAX_INSERT)];
                random.nextBytes(bytes);
                yield insert(input, random.nextInt(length + 1), bytes);
            }
            case DELETE_RANGE -> {
                if (length == 0) {
                    yield input;
                }
                int from = random.nextInt(length);
                int to = from + 1 + random.nextInt(Math.min(MAX_INSERT, length - from));
                yield concat(Arrays.copyOfRange(input, 0, from),
                        Arrays.copyOfRange(input, to, length));
            }
            case DUPLICATE_RANGE -> {
                if (length == 0) {
                    yield input;
                }
                int from = random.nextInt(length);
                int to = from + 1 + random.nextInt(Math.min(MAX_INSERT, length - from));
                yield insert(input, to, Arrays.copyOfRange(input, from, to));
            }
            case TRUNCATE -> Arrays.copyOf(input, random.nextInt(length + 1));
            case EXTREME_VALUE -> {
                int width = WIDTHS[random.nextInt(WIDTHS.length)];
                if (length < width) {
                    yield input;
                }
                byte[] out = input.clone();
                int at = random.nextInt(length - width + 1);
                writeBigEndian(out, at, width, extreme(width, random));
                yield out;
            }
            case TOKEN -> {
                if (tokens.isEmpty()) {
                    yield input;
                }
                byte[] token = tokens.get(random.nextInt(tokens.size()));
                int at = random.nextInt(length + 1);
                if (random.nextBoolean() || at + token.length > length) {
                    yield insert(input, at, token);
                }
                byte[] out = input.clone();
                System.arraycopy(token, 0, out, at, token.length);
                yield out;
            }
            case REPLACE_RUN -> {
                if (length == 0 || tokens.isEmpty()) {
                    yield input;
                }
                int at = random.nextInt(length);
                int from = at;
                int to = at + 1;
                while (from > 0 && sameRun(input[from - 1], input[at])) {
                    from--;
                }
                while (to < length && sameRun(input[to], input[at])) {
                    to++;
                }
                byte[] token = tokens.get(random.nextInt(tokens.size()));
                yield concat(Arrays.copyOfRange(input, 0, from), token,
                        Arrays.copyOfRange(input, to, length));
            }
            case SPLICE -> {
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                if (other.length == 0) {
                    yield input;
                }
                int from = random.nextInt(other.length);
                int to = from + 1 + random.nextInt(other.length - from);
                byte[] piece = Arrays.copyOfRange(other, from, to);
                yield insert(input, random.nextInt(length + 1), piece);
            }
        };
    }

    /** Digits (and the '.' of a decimal) run together, letters together; other bytes stand alone. */
    private static boolean sameRun(byte b, byte of) {
        return isDigit(b) && isDigit(of) || isLetter(b) && isLetter(of);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9' || b == '.';
    }

    private static boolean isLetter(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z';
    }

    /** 0, 1, the largest, the largest minus one, and the signed edges of a field this wide. */
    private static long extreme(int width, SplittableRandom random) {
        long max = width == 8 ? -1L : (1L << (8 * width)) - 1;
        long signedMax = max >>> 1;
        long[] values = {0, 1, max, max - 1, signedMax, signedMax + 1};
        return values[random.nextInt(values.length)];
    }

    private static void writeBigEndian(byte[] out, int at, int width, long value) {
        for (int i = 0; i < width; i++) {
            out[at + i] = (byte) (value >>> (8 * (width - 1 - i)));
        }
    }

    private static byte[] insert(byte[] input, int at, byte[] bytes) {
        return concat(Arrays.copyOfRange(input, 0, at), bytes,
                Arrays.copyOfRange(input, at, input.length));
    }

    private static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] part : parts) {
            total += part.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
