package analytics.testing;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

/**
 * Throws random and damaged inputs at a decoder and holds it to one promise: each input is
 * decoded, or refused with the decoder's own error type - never another exception, never a
 * hang, never memory out of proportion to the input. The same seed gives the same inputs,
 * so a failure names its seed, its iteration and its input in hex, and replays.
 *
 * Pattern: deterministic fuzzing - seeded inputs, a fixed count, an oracle that needs no
 *          expected output (the error type, a watchdog, the thread's allocation counter).
 * Lesson:  lessons/03-validating-untrusted-input.md
 * Not here: how inputs are damaged (Mutation); what a decoded value should be (each test).
 * Threads: run() feeds the target on a platform thread of its own and watches it from the
 *          caller's; a builder is for one test.
 */
public final class Fuzzer {

    /** The seed of every run unless FUZZ_SEED names another: the same inputs on every machine. */
    public static final long DEFAULT_SEED = 0x5EED_2024_F022L;
    /** One input taking longer than this is a hang (generous: the machine is shared). */
    private static final long STALL_NANOS = 5_000_000_000L;
    /** SplittableRandom's own gamma: iteration i's input depends on (seed, i) alone. */
    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;
    private static final int MAX_MUTATIONS = 6;
    private static final long STACK_BYTES = 256 * 1024;

    /** Decodes one input; returns normally when it was accepted. */
    @FunctionalInterface
    public interface Target {
        void accept(byte[] input) throws Exception;
    }

    /** What a run tried: a fuzz test asserts both counts are above zero, or it explored nothing. */
    public record Outcome(int inputs, int accepted, int rejected) {
    }

    private final String name;
    private final List<byte[]> seeds = new ArrayList<>();
    private final List<byte[]> tokens = new ArrayList<>();
    private final List<Class<?>> rejections = new ArrayList<>();
    private int maxLength = 4096;
    private ToLongFunction<byte[]> allocationLimit;

    private volatile byte[] current;
    private volatile int currentIteration = -1;
    private volatile long currentStarted;

    private Fuzzer(String name) {
        this.name = name;
    }

    /** {@code name} opens every failure message, e.g. "WebSocket frames". */
    public static Fuzzer named(String name) {
        return new Fuzzer(name);
    }

    /** Valid inputs, decoded as they are first and then mutated; an RFC's examples are the best. */
    public Fuzzer seeds(List<byte[]> valid) {
        seeds.addAll(valid);
        return this;
    }

    /** Tokens of the protocol that Mutation.TOKEN inserts: "\r\n", a length prefix, "1e999". */
    public Fuzzer tokens(List<byte[]> protocolTokens) {
        tokens.addAll(protocolTokens);
        return this;
    }

    /** The decoder's own error types: an input that throws one of them was rejected, as is fine. */
    public Fuzzer rejectsWith(Class<?>... errorTypes) {
        rejections.addAll(List.of(errorTypes));
        return this;
    }

    public Fuzzer maxLength(int bytes) {
        maxLength = bytes;
        return this;
    }

    /**
     * The most one input may make the target allocate, as a function of the input (its
     * length, the decoder's stated limits). Measured with the JDK's per-thread allocation
     * counter; an input over the limit is run again and fails only if it is over again, so a
     * class loaded or a call site linked on first use is not counted against it.
     */
    public Fuzzer allocationAtMost(ToLongFunction<byte[]> bytesFor) {
        allocationLimit = bytesFor;
        return this;
    }

    /**
     * The number of inputs to try: FUZZ_ITERATIONS (environment) or -Dfuzz.iterations for a
     * long run, else {@code shortRun}, the count `make test` can afford. A target that costs
     * a socket round trip per input divides the long count by {@code longRunDivisor}.
     */
    public static int iterations(int shortRun, int longRunDivisor) {
        String value = System.getProperty("fuzz.iterations", System.getenv("FUZZ_ITERATIONS"));
        if (value == null || value.isBlank()) {
            return shortRun;
        }
        return Math.max(shortRun, Integer.parseInt(value.strip()) / longRunDivisor);
    }

    public static int iterations(int shortRun) {
        return iterations(shortRun, 1);
    }

    /** FUZZ_SEED (environment, decimal or 0x-hex) or -Dfuzz.seed, else DEFAULT_SEED. */
    public static long seed() {
        String value = System.getProperty("fuzz.seed", System.getenv("FUZZ_SEED"));
        if (value == null || value.isBlank()) {
            return DEFAULT_SEED;
        }
        value = value.strip();
        return value.startsWith("0x")
                ? Long.parseUnsignedLong(value.substring(2), 16)
                : Long.parseLong(value);
    }

    /**
     * Feeds {@code iterations} inputs to {@code target}: first every seed as it is, then for
     * each input either random bytes (one in eight) or a seed with 1 to 6 mutations (few
     * more often than many).
     *
     * @throws AssertionError naming the seed, the iteration, the input in hex and the cause,
     *         at the first input that throws anything but a rejection, stalls or over-allocates
     */
    public Outcome run(int iterations, Target target) throws InterruptedException {
        if (seeds.isEmpty()) {
            throw new IllegalStateException(name + ": a fuzzer needs at least one seed");
        }
        long seed = seed();
        int[] counts = new int[2];
        AssertionError[] failure = new AssertionError[1];
        // A small stack: recursion that follows the input's nesting overflows within the
        // few thousand bytes of a fuzz input, instead of only at 100,000 brackets.
        Thread worker = Thread.ofPlatform().daemon().name("fuzz " + name).stackSize(STACK_BYTES)
                .start(() -> feed(target, iterations, seed, counts, failure));
        while (worker.isAlive()) {
            worker.join(200);
            int stalled = currentIteration;
            byte[] input = current;
            boolean stuck = System.nanoTime() - currentStarted > STALL_NANOS;
            if (stalled >= 0 && stuck && worker.isAlive()) {
                worker.interrupt(); // a decoder in a loop ignores it; the thread is a daemon
                throw new AssertionError(describe(seed, stalled, input,
                        "did not finish within " + STALL_NANOS / 1_000_000 + " ms (a hang)"));
            }
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return new Outcome(iterations, counts[0], counts[1]);
    }

    private void feed(Target target, int iterations, long seed, int[] counts,
            AssertionError[] failure) {
        for (int i = 0; i < iterations && failure[0] == null; i++) {
            byte[] input = input(seed, i);
            current = input;
            currentStarted = System.nanoTime();
            currentIteration = i;
            failure[0] = tryOne(target, input, seed, i, counts);
        }
        currentIteration = -1;
    }

    /** The input of iteration {@code i}: a function of (seed, i) alone, so it replays. */
    byte[] input(long seed, int i) {
        if (i < seeds.size()) {
            return seeds.get(i);
        }
        SplittableRandom random = new SplittableRandom(seed + i * GOLDEN_GAMMA);
        if (random.nextInt(8) == 0) {
            byte[] bytes = new byte[random.nextInt(1 + random.nextInt(maxLength + 1))];
            random.nextBytes(bytes);
            return bytes;
        }
        byte[] input = seeds.get(random.nextInt(seeds.size()));
        Mutation[] all = Mutation.values();
        // Mostly one or two edits: each more is likelier to break the input at its first byte.
        for (int n = 1 + random.nextInt(1 + random.nextInt(MAX_MUTATIONS)); n > 0; n--) {
            input = all[random.nextInt(all.length)].apply(input, random, seeds, tokens);
            if (input.length > maxLength) {
                input = Arrays.copyOf(input, maxLength);
            }
        }
        return input;
    }

    /** Null when the input was accepted or rejected; the failure otherwise (counts updated). */
    private AssertionError tryOne(Target target, byte[] input, long seed, int i, int[] counts) {
        long before = allocatedBytes();
        Throwable thrown = call(target, input);
        long allocated = allocatedBytes() - before;
        if (thrown != null && !isRejection(thrown)) {
            return new AssertionError(describe(seed, i, input, "threw " + thrown), thrown);
        }
        counts[thrown == null ? 0 : 1]++;
        if (allocationLimit != null && allocated > allocationLimit.applyAsLong(input)) {
            long again = allocatedBytes();
            call(target, input);
            allocated = allocatedBytes() - again;
            long limit = allocationLimit.applyAsLong(input);
            if (allocated > limit) {
                return new AssertionError(describe(seed, i, input, "allocated " + allocated
                        + " bytes for an input of " + input.length + "; the limit is " + limit));
            }
        }
        return null;
    }

    private static Throwable call(Target target, byte[] input) {
        try {
            target.accept(input);
            return null;
        } catch (Throwable t) { // the point: every Throwable, OutOfMemoryError included, is judged
            return t;
        }
    }

    private boolean isRejection(Throwable thrown) {
        for (Class<?> type : rejections) {
            if (type.isInstance(thrown)) {
                return true;
            }
        }
        return false;
    }

    private String describe(long seed, int i, byte[] input, String what) {
        return name + ": input " + i + " " + what
                + "\n  replay: FUZZ_SEED=0x" + Long.toHexString(seed) + " makes it input " + i
                + " again, or feed the target the hex below"
                + "\n  input (" + input.length + " bytes): " + HexFormat.of().formatHex(input);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
