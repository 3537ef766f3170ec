package analytics.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * What one scenario found: the figures worth reporting, and every invariant it broke, in
 * words a student can check against the log ("3 accepted metrics counted twice:
 * wk-118, ..."). A scenario passes when it broke none.
 *
 * Pattern: collect every failure, then judge - one run reports all that went wrong,
 *          not just the first thing.
 * Lesson:  lessons/20-faults-and-floods.md
 * Threads: the campaign's main thread.
 */
final class Findings {

    private final String scenario;
    private final List<String> figures = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    Findings(String scenario) {
        this.scenario = scenario;
    }

    String scenario() {
        return scenario;
    }

    void figure(String format, Object... args) {
        figures.add(format.formatted(args));
    }

    /** Records {@code failure} unless {@code holds}. */
    void require(boolean holds, String format, Object... args) {
        if (!holds) {
            failures.add(format.formatted(args));
        }
    }

    List<String> figures() {
        return List.copyOf(figures);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    boolean passed() {
        return failures.isEmpty();
    }

    /** A few examples of a list, so a report line stays one line: "a, b, c (and 12 more)". */
    static String sample(List<String> items) {
        int shown = Math.min(3, items.size());
        String head = String.join(", ", items.subList(0, shown));
        return items.size() > shown ? head + " (and " + (items.size() - shown) + " more)" : head;
    }

    static String millis(long nanos) {
        return nanos <= 0 ? "0 ms" : "%,d ms".formatted(nanos / 1_000_000);
    }
}
