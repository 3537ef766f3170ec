package analytics.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Feeds one input to a resumable decoder in every way a socket could deliver it: cut in
 * two at each byte position, and one byte at a time. A decoder that is right for one
 * read but wrong when a field straddles two reads fails here, not in production.
 *
 * Pattern: exhaustive split testing, as the JDK tests its WebSocket frame reader.
 * Lesson:  lessons/05-websocket-frames.md   Spec: RFC 6455 §5.2, RFC 9113 §4.1 (frames may arrive in pieces)
 * Not here: what the values should be; each test checks those itself.
 * Threads: stateless.
 */
public final class SplitFeeder {

    /** A decoder that takes what it can from {@code in} and answers null for "need more bytes". */
    @FunctionalInterface
    public interface ResumableDecoder<T> {
        T decode(ByteBuffer in) throws Exception;
    }

    /** Checks what one way of feeding decoded; {@code split} names the way, for the failure message. */
    @FunctionalInterface
    public interface Check<T> {
        void check(String split, List<T> values) throws Exception;
    }

    private SplitFeeder() {
    }

    /**
     * Feeds {@code input} to a fresh decoder once per cut position 0..length (two chunks,
     * either may be empty) and once a byte at a time, and checks each result.
     */
    public static <T> void forEverySplit(byte[] input, Supplier<? extends ResumableDecoder<T>> fresh, Check<T> check)
            throws Exception {
        for (int at = 0; at <= input.length; at++) {
            check.check("cut at byte " + at, feed(fresh.get(), input, at));
        }
        int[] everyByte = new int[Math.max(0, input.length - 1)];
        Arrays.setAll(everyByte, i -> i + 1);
        check.check("one byte at a time", feed(fresh.get(), input, everyByte));
    }

    /**
     * What feeding an input gave: every value decoded, and the refusal that ended it, if any
     * (values decoded before a refusal are kept: a fuzz test compares them too).
     */
    public record Fed<T, E extends Exception>(List<T> values, E refusal) {
    }

    /**
     * Like {@link #feed}, but a refusal of type {@code refusal} ends the feeding and is
     * returned with what was decoded before it; any other exception propagates.
     */
    public static <T, E extends Exception> Fed<T, E> feedUntilRefused(ResumableDecoder<T> decoder,
            Class<E> refusal, byte[] input, int... cuts) throws Exception {
        List<T> values = new ArrayList<>();
        try {
            feed(in -> {
                T value = decoder.decode(in);
                if (value != null) {
                    values.add(value);
                }
                return value;
            }, input, cuts);
            return new Fed<>(values, null);
        } catch (Exception e) {
            if (refusal.isInstance(e)) {
                return new Fed<>(values, refusal.cast(e));
            }
            throw e;
        }
    }

    /**
     * Feeds {@code input} cut at the given increasing positions and collects every value
     * decoded. Bytes a decoder leaves in the buffer are carried into the next chunk, as a
     * socket reader would compact them, so decoders that buffer internally and decoders
     * that do not are both served. Chunks are views of {@code input}, not copies.
     */
    public static <T> List<T> feed(ResumableDecoder<T> decoder, byte[] input, int... cuts) throws Exception {
        List<T> values = new ArrayList<>();
        byte[] leftover = new byte[0];
        int start = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int end = i < cuts.length ? cuts[i] : input.length;
            ByteBuffer in = leftover.length == 0
                    ? ByteBuffer.wrap(input, start, end - start)
                    : ByteBuffer.allocate(leftover.length + end - start)
                            .put(leftover).put(input, start, end - start).flip();
            T value;
            while ((value = decoder.decode(in)) != null) {
                values.add(value);
            }
            leftover = new byte[in.remaining()];
            in.get(leftover);
            start = end;
        }
        return values;
    }
}
