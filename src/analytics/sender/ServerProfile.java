package analytics.sender;

import java.util.SplittableRandom;

/**
 * The character of one simulated server, drawn once from the seed and its number: how
 * loaded it is and when its busy hours fall, how fast its memory creeps up before a
 * release, how fast its disk fills before a clean-up, how busy its network is.
 *
 * Pattern: per-entity parameters derived from (seed, id), so nothing per server has to be
 *          stored or replayed to get the same server back in another run.
 * Lesson:  lessons/14-fake-metric-servers.md
 * Not here: the values at a given tick (MetricGenerator computes those from this profile).
 * Threads: immutable, so share it freely.
 *
 * Durations are in ticks (one tick = one send of this server), so the shape of the data
 * does not depend on FAKE_SERVER_INTERVAL_MS. A "day" is 10 to 40 minutes of ticks at the
 * default interval of one second: long enough to look like a trend, short enough to watch.
 */
public record ServerProfile(
        String serverId,
        int number,
        double cpuBase, double cpuAmplitude, long dayTicks, double dayPhase,
        double memoryFloor, double memoryRise, long memoryCycleTicks, long memoryOffset,
        double diskStart, double diskRise, long diskCycleTicks, long diskOffset,
        double networkBase, double outRatio) {

    /** Server {@code number} (1-based, as in "server-1") of the fleet of this seed. */
    public static ServerProfile draw(long seed, int number) {
        SplittableRandom random = new SplittableRandom(MetricGenerator.mix(seed, number));
        long dayTicks = random.nextLong(600, 2_401);
        long memoryCycle = random.nextLong(300, 1_201);
        long diskCycle = random.nextLong(5_000, 20_001);
        return new ServerProfile(
                "server-" + number, number,
                random.nextDouble(15, 55), random.nextDouble(5, 25), dayTicks,
                random.nextDouble(0, 2 * Math.PI),
                // Floor plus rise stays below 85: noise and spikes have room above it.
                random.nextDouble(25, 45), random.nextDouble(15, 35), memoryCycle,
                random.nextLong(memoryCycle),
                random.nextDouble(20, 55), random.nextDouble(10, 35), diskCycle,
                random.nextLong(diskCycle),
                random.nextDouble(100, 2_000), random.nextDouble(0.3, 0.8));
    }
}
