package analytics.sender;

import analytics.model.Metric;
import java.util.Map;

/**
 * Computes the metric that server {@code profile} sends at its {@code tick}-th send:
 * a daily-like CPU curve, memory that creeps up and is released, a disk that fills and is
 * cleaned up, network traffic with bursts, and now and then a spike.
 *
 * Pattern: deterministic simulation - every value is a pure function of (seed, server,
 *          tick), with "randomness" from a hash instead of a stateful generator, so the
 *          same inputs give the same metric in any order, on any thread, in any run.
 * Lesson:  lessons/14-fake-metric-servers.md
 * Not here: when to send (SendSchedule) and how (the transports).
 * Threads: immutable; call from any thread.
 *
 * Spikes are applied first and the ranges enforced last: the original multiplied CPU
 * after clamping it and sent values over 100, which its own validator then rejected.
 */
public final class MetricGenerator {

    /** Chance of a network burst (a backup, a deploy) on any tick, besides spikes. */
    private static final double BURST_PROBABILITY = 0.02;

    /** Independent streams of draws: one per use, so adding one never shifts the others. */
    private enum Draw { CPU_NOISE, MEMORY_NOISE, NETWORK_NOISE, OUT_NOISE, BURST, BURST_SIZE, SPIKE }

    private final long seed;
    private final double spikeProbability;
    private final double spikeMultiplier;

    public MetricGenerator(long seed, double spikeProbability, double spikeMultiplier) {
        this.seed = seed;
        this.spikeProbability = spikeProbability;
        this.spikeMultiplier = spikeMultiplier;
    }

    public ServerProfile profile(int number) {
        return ServerProfile.draw(seed, number);
    }

    /** The metric of this tick, stamped with {@code timestamp} (the caller's clock). */
    public Metric generate(ServerProfile p, long tick, long timestamp) {
        double day = Math.sin(2 * Math.PI * tick / p.dayTicks() + p.dayPhase());
        double cpu = p.cpuBase() + p.cpuAmplitude() * day + 4 * (draw(p, tick, Draw.CPU_NOISE) - 0.5);

        // A sawtooth: a steady leak until the "GC" (or an OOM-killer restart) frees it all.
        long memoryAge = (tick + p.memoryOffset()) % p.memoryCycleTicks();
        double memory = p.memoryFloor() + p.memoryRise() * memoryAge / p.memoryCycleTicks()
                + (draw(p, tick, Draw.MEMORY_NOISE) - 0.5);

        // Logs pile up slowly and a clean-up job empties them; disks never jitter.
        long diskAge = (tick + p.diskOffset()) % p.diskCycleTicks();
        double disk = p.diskStart() + p.diskRise() * diskAge / p.diskCycleTicks();

        double noise = 0.85 + 0.3 * draw(p, tick, Draw.NETWORK_NOISE);
        double traffic = p.networkBase() * (1 + 0.5 * day) * noise;
        if (draw(p, tick, Draw.BURST) < BURST_PROBABILITY) {
            traffic *= 2 + 4 * draw(p, tick, Draw.BURST_SIZE);
        }
        double in = traffic;
        double out = traffic * p.outRatio() * (0.9 + 0.2 * draw(p, tick, Draw.OUT_NOISE));

        if (isSpike(p, tick)) {
            cpu *= spikeMultiplier;
            memory *= spikeMultiplier;
            in *= spikeMultiplier;
            out *= spikeMultiplier;
        }
        return new Metric(p.serverId(), timestamp,
                percent(cpu), percent(memory), percent(disk),
                new Metric.Network(amount(in), amount(out)), Map.of());
    }

    /** Whether this tick of this server is a spike; tests use it to tell spikes from trend. */
    public boolean isSpike(ServerProfile p, long tick) {
        return draw(p, tick, Draw.SPIKE) < spikeProbability;
    }

    /** Clamped to the contract's 0..100, two decimals: short messages, same charts. */
    private static double percent(double value) {
        return Math.round(Math.clamp(value, 0.0, 100.0) * 100) / 100.0;
    }

    private static double amount(double value) {
        return Math.round(Math.max(0.0, value) * 100) / 100.0;
    }

    /** A uniform number in [0, 1), fixed by (seed, server, tick, purpose). */
    private double draw(ServerProfile p, long tick, Draw purpose) {
        long h = mix(mix(seed, p.number()), tick * Draw.values().length + purpose.ordinal());
        return (h >>> 11) * 0x1.0p-53;
    }

    /**
     * Combines two numbers into a well-spread 64-bit hash: SplitMix64's finaliser (Steele,
     * Lea, Flood 2014), the same mixing SplittableRandom uses between its outputs.
     */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
