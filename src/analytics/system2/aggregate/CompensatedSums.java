package analytics.system2.aggregate;

import java.util.Arrays;

/**
 * A fixed number of running sums that can be added to and subtracted from for ever
 * without the rounding errors piling up: each sum carries a second double holding the
 * low-order bits that the last additions rounded away.
 *
 * Why it is needed: with plain doubles, {@code 1 + 1e17 - 1e17} is {@code 0}. A sliding
 * window is exactly that shape - a network spike of 1e12 bytes enters the sum, the small
 * samples added meanwhile lose their low bits, the spike leaves, and the average of the
 * small samples that remain is wrong in the fourth digit. The error of one
 * floating-point addition is itself a double and can be computed exactly; Neumaier's
 * variant of Kahan summation keeps their total, so the result is within about two
 * roundings of the true sum, plus a term of order n * eps^2 * (sum of |values|) over
 * the n operations since the last {@link #clear()} (eps = 2^-53, about 1.1e-16).
 *
 * Pattern: compensated (Kahan-Babuska-Neumaier) summation.
 * Lesson:  lessons/08-ring-buffer-and-sliding-windows.md
 * Not here: when to start over from exact data (SlidingWindow rebuilds from the ring).
 * Threads: not thread-safe; owned by one SlidingWindow, under its server's lock.
 */
final class CompensatedSums {

    private final double[] sums;
    private final double[] compensations;

    CompensatedSums(int lanes) {
        this.sums = new double[lanes];
        this.compensations = new double[lanes];
    }

    void add(int lane, double value) {
        double sum = sums[lane];
        double next = sum + value;
        // Whichever operand is larger survives the addition intact; what the smaller one
        // lost is recovered exactly by subtracting in that order.
        if (Math.abs(sum) >= Math.abs(value)) {
            compensations[lane] += (sum - next) + value;
        } else {
            compensations[lane] += (value - next) + sum;
        }
        sums[lane] = next;
    }

    void subtract(int lane, double value) {
        add(lane, -value);
    }

    double value(int lane) {
        return sums[lane] + compensations[lane];
    }

    void clear() {
        Arrays.fill(sums, 0);
        Arrays.fill(compensations, 0);
    }
}
