package analytics.faults;

import java.time.Duration;

/**
 * How long a campaign holds each phase: steady load before and after a fault, how long a
 * part stays dead, and how often workers are killed. The defaults keep the whole campaign
 * within a few minutes, so CI runs it on every change; `--steady 60` soaks.
 *
 * Pattern: test timings as one value object, not constants scattered through scenarios.
 * Lesson:  lessons/20-faults-and-floods.md
 *
 * @param steady     load held before a fault and again after recovery
 * @param down       how long a killed part stays dead before it is restarted
 * @param workerKills how many times worker-kills kills a worker process
 * @param killEvery  the time between two of those kills
 * @param rate       metrics per second per transport
 * @param overload   how long the overload scenario holds each transport past its capacity
 */
record Pace(Duration steady, Duration down, int workerKills, Duration killEvery, int rate,
            Duration overload) {

    static final Pace DEFAULT = new Pace(Duration.ofSeconds(4), Duration.ofSeconds(2), 10,
            Duration.ofSeconds(6), 150, Duration.ofSeconds(30));
}
