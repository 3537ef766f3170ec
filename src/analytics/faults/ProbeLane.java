package analytics.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A probe every quarter of a second while a load runs, each from a new client, and what they
 * met: how many were served, refused or failed, and how long the served ones waited. Then,
 * once the load has stopped, how long until the system is itself again: the first probe
 * served within 100 ms.
 *
 * Pattern: measure the experience of the next user, before, during and after - a system
 *          that refuses politely under load and is fast again a second later degraded well.
 * Lesson:  lessons/20-faults-and-floods.md
 * Threads: one virtual thread sends the probes; start, stop and the getters from the
 *          campaign's main thread.
 */
final class ProbeLane {

    /** One probe: send one metric from a new client and judge the answer. */
    @FunctionalInterface
    interface Sender {
        Probe.Answer send() throws InterruptedException;
    }

    private static final Duration EVERY = Duration.ofMillis(250);
    /** Served this fast again, the system has recovered. */
    static final Duration RECOVERED_WITHIN = Duration.ofMillis(100);
    /** An answer slower than this is counted apart in the summary. */
    private static final Duration SLOW = Duration.ofSeconds(1);

    private final Sender sender;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentLinkedQueue<Probe.Answer> answers = new ConcurrentLinkedQueue<>();
    private Thread thread;

    ProbeLane(Sender sender) {
        this.sender = sender;
    }

    ProbeLane start() {
        thread = Thread.ofVirtual().name("probe-lane").start(() -> {
            while (running.get()) {
                try {
                    answers.add(sender.send());
                    Thread.sleep(EVERY);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        });
        return this;
    }

    void stop() throws InterruptedException {
        running.set(false);
        // A probe in flight waits at most its timeout.
        thread.join(Probe.ANSWER_TIMEOUT.plusSeconds(5));
    }

    /**
     * "12 × 202, 28 × 503; answered in 35 ms (median), 1,210 ms (slowest), 2 after more than
     * 1 s": the times of every honest answer, served or refused - under overload most are
     * refusals, and how long a refusal takes is what the next user waits.
     */
    String summary() {
        Map<String, Integer> byOutcome = new TreeMap<>();
        List<Long> answered = new ArrayList<>();
        for (Probe.Answer answer : answers) {
            byOutcome.merge(answer.outcome(), 1, Integer::sum);
            if (answer.failure() == null) {
                answered.add(answer.nanos());
            }
        }
        List<String> counts = new ArrayList<>();
        byOutcome.forEach((outcome, count) -> counts.add(count + " × " + outcome));
        long[] nanos = answered.stream().mapToLong(Long::longValue).sorted().toArray();
        long overASecond = answered.stream().filter(n -> n > SLOW.toNanos()).count();
        return String.join(", ", counts) + (nanos.length == 0 ? "; none answered"
                : "; answered in " + Findings.millis(nanos[nanos.length / 2]) + " (median), "
                + Findings.millis(nanos[nanos.length - 1]) + " (slowest), "
                + overASecond + " after more than " + SLOW.toSeconds() + " s");
    }

    /** Each probe whose answer was neither served nor an honest refusal. */
    List<String> failures() {
        return answers.stream().map(Probe.Answer::failure).filter(f -> f != null).toList();
    }

    /**
     * Probes, one after the other, until one is served within {@link #RECOVERED_WITHIN};
     * returns the nanos from the call to that answer, or -1 when none was within {@code timeout}.
     */
    static long recovery(Sender sender, Duration timeout) throws InterruptedException {
        long began = System.nanoTime();
        while (System.nanoTime() - began < timeout.toNanos()) {
            Probe.Answer answer = sender.send();
            if (answer.served() && answer.nanos() <= RECOVERED_WITHIN.toNanos()) {
                return System.nanoTime() - began;
            }
            Thread.sleep(50);
        }
        return -1;
    }
}
