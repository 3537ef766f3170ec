package analytics.sender;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * When each simulated server sends: every interval plus or minus a random jitter, each on
 * its own phase. One timer thread calls {@link #sendDue} every few milliseconds; it sends
 * what has come due since the last call and nothing else.
 *
 * Pattern: one timer for many schedules - 10,000 servers cost two arrays and a scan, not
 *          10,000 timers or 10,000 sleeping threads.
 * Lesson:  lessons/14-fake-metric-servers.md
 * Not here: what to send (MetricGenerator) and the wire (MetricTransport).
 * Threads: one timer thread; not thread-safe.
 */
final class SendSchedule {

    private final MetricGenerator generator;
    private final ServerProfile[] profiles;
    private final long[] dueNanos;   // System.nanoTime() at which server i sends next
    private final long[] ticks;      // how many times server i has sent: the generator's tick
    private final long intervalNanos;
    private final long jitterNanos;
    private final SplittableRandom random;

    /** @param first the number of the first server (server-{first}); the others follow it */
    SendSchedule(MetricGenerator generator, int count, int first, Duration interval, Duration jitter,
                 long seed, long startNanos) {
        this.generator = generator;
        this.profiles = new ServerProfile[count];
        this.dueNanos = new long[count];
        this.ticks = new long[count];
        this.intervalNanos = interval.toNanos();
        // A jitter as large as the interval could schedule a send before the previous one.
        this.jitterNanos = Math.min(jitter.toNanos(), intervalNanos / 2);
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            profiles[i] = generator.profile(first + i);
            // Spread the first sends over one interval, or every server would send at once.
            dueNanos[i] = startNanos + random.nextLong(intervalNanos);
        }
    }

    /**
     * Sends, through {@code transport}, the metric of every server whose time has come,
     * stamped {@code nowMillis}; returns how many were sent.
     */
    int sendDue(long nowNanos, long nowMillis, MetricTransport transport) {
        int sent = 0;
        for (int i = 0; i < profiles.length; i++) {
            if (dueNanos[i] - nowNanos > 0) {
                continue;
            }
            transport.send(generator.generate(profiles[i], ticks[i]++, nowMillis));
            sent++;
            long next = dueNanos[i] + intervalNanos + random.nextLong(-jitterNanos, jitterNanos + 1);
            // After a stall (a GC pause, a suspended laptop) skip the missed sends instead of
            // bursting them all out at once: a real agent samples now, not in the past.
            dueNanos[i] = next - nowNanos < 0 ? nowNanos + intervalNanos : next;
        }
        return sent;
    }
}
