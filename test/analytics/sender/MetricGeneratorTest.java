package analytics.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.model.Metric;
import analytics.model.MetricValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricGeneratorTest {

    private static final long T0 = 1_764_180_000_000L;

    private static void assertInRange(Metric m) {
        String where = m.serverId() + " " + m;
        assertTrue(m.cpu() >= 0 && m.cpu() <= 100, where);
        assertTrue(m.memory() >= 0 && m.memory() <= 100, where);
        assertTrue(m.disk() >= 0 && m.disk() <= 100, where);
        assertTrue(m.networkIn() >= 0 && m.networkOut() >= 0, where);
        assertTrue(Double.isFinite(m.networkIn()) && Double.isFinite(m.networkOut()), where);
    }

    @Test
    void staysInRangeEvenWhenEveryTickIsAThousandfoldSpike() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
            for (MetricGenerator generator : new MetricGenerator[] {
                    new MetricGenerator(seed, 0.05, 2), new MetricGenerator(seed, 1, 1000)}) {
                for (int server = 1; server <= 20; server++) {
                    ServerProfile profile = generator.profile(server);
                    for (long tick = 0; tick < 2_000; tick++) {
                        assertInRange(generator.generate(profile, tick, T0 + tick * 1000));
                    }
                }
            }
        }
    }

    @Test
    void everyGeneratedMetricPassesTheContractsValidator() {
        MetricValidator validator = new MetricValidator(Set.of(), () -> T0);
        MetricGenerator generator = new MetricGenerator(42, 0.5, 1000);
        for (int server = 1; server <= 10; server++) {
            ServerProfile profile = generator.profile(server);
            for (long tick = 0; tick < 200; tick++) {
                Metric metric = generator.generate(profile, tick, T0);
                assertInstanceOf(MetricValidator.Valid.class, validator.validate(metric.toJson()));
            }
        }
    }

    @Test
    void theSameSeedServerAndTickGiveTheSameMetric() {
        MetricGenerator a = new MetricGenerator(7, 0.05, 2);
        MetricGenerator b = new MetricGenerator(7, 0.05, 2);
        int ticks = 500;
        for (int server = 1; server <= 5; server++) {
            // a walks the ticks forwards, b backwards: no hidden state may depend on the order.
            List<Metric> forwards = new ArrayList<>();
            for (long tick = 0; tick < ticks; tick++) {
                forwards.add(a.generate(a.profile(server), tick, T0));
            }
            for (long tick = ticks - 1; tick >= 0; tick--) {
                assertEquals(forwards.get((int) tick), b.generate(b.profile(server), tick, T0),
                        "server " + server + ", tick " + tick);
            }
        }
    }

    @Test
    void anotherSeedOrServerGivesOtherData() {
        MetricGenerator a = new MetricGenerator(7, 0.05, 2);
        MetricGenerator b = new MetricGenerator(8, 0.05, 2);
        int differentSeed = 0;
        int differentServer = 0;
        for (long tick = 0; tick < 100; tick++) {
            Metric one = a.generate(a.profile(1), tick, T0);
            if (!one.equals(b.generate(b.profile(1), tick, T0))) {
                differentSeed++;
            }
            if (one.cpu() != a.generate(a.profile(2), tick, T0).cpu()) {
                differentServer++;
            }
        }
        assertEquals(100, differentSeed);
        assertTrue(differentServer > 90, differentServer + " of 100 ticks differ");
        assertNotEquals(a.profile(1), b.profile(1));
    }

    @Test
    void cpuFollowsASmoothTrendBetweenSpikes() {
        MetricGenerator generator = new MetricGenerator(3, 0.05, 2);
        for (int server = 1; server <= 50; server++) {
            ServerProfile profile = generator.profile(server);
            Metric previous = generator.generate(profile, 0, T0);
            for (long tick = 1; tick < 3_000; tick++) {
                Metric current = generator.generate(profile, tick, T0);
                if (!generator.isSpike(profile, tick) && !generator.isSpike(profile, tick - 1)) {
                    double step = Math.abs(current.cpu() - previous.cpu());
                    assertTrue(step <= 5, profile.serverId() + " tick " + tick + " jumped " + step);
                }
                previous = current;
            }
        }
    }

    @Test
    void memoryCreepsUpAndIsReleased() {
        MetricGenerator generator = new MetricGenerator(11, 0, 1);
        for (int server = 1; server <= 50; server++) {
            ServerProfile profile = generator.profile(server);
            int releases = 0;
            double previous = generator.generate(profile, 0, T0).memory();
            for (long tick = 1; tick < 2_500; tick++) {
                double memory = generator.generate(profile, tick, T0).memory();
                double step = memory - previous;
                if (step < -10) {
                    releases++;
                } else {
                    assertTrue(Math.abs(step) <= 1.5, profile.serverId() + " tick " + tick + " stepped " + step);
                }
                previous = memory;
            }
            // A cycle is at most 1,200 ticks, so 2,500 ticks hold at least two releases.
            assertTrue(releases >= 2, profile.serverId() + " released " + releases + " times");
        }
    }

    @Test
    void disksFillSlowlyAndAreCleanedUp() {
        MetricGenerator generator = new MetricGenerator(5, 0.2, 1000);
        for (int server = 1; server <= 20; server++) {
            ServerProfile profile = generator.profile(server);
            int cleanups = 0;
            double previous = generator.generate(profile, 0, T0).disk();
            double grown = 0;
            for (long tick = 1; tick <= 25_000; tick++) {
                double disk = generator.generate(profile, tick, T0).disk();
                if (disk < previous) {
                    cleanups++;
                    assertTrue(previous - disk > 5, profile.serverId() + " shrank by " + (previous - disk));
                } else {
                    assertTrue(disk - previous <= 0.02, profile.serverId() + " grew by " + (disk - previous));
                    grown += disk - previous;
                }
                previous = disk;
            }
            // A cycle lasts 5,000 to 20,000 ticks: at least one clean-up, at most six.
            assertTrue(cleanups >= 1 && cleanups <= 6, profile.serverId() + " cleaned " + cleanups + " times");
            assertTrue(grown > 10, profile.serverId() + " grew only " + grown);
        }
    }

    @Test
    void networkHasBurstsAndSpikesAreAsFrequentAsConfigured() {
        MetricGenerator generator = new MetricGenerator(9, 0.05, 2);
        ServerProfile profile = generator.profile(1);
        int spikes = 0;
        double quiet = Double.MAX_VALUE;
        double loudest = 0;
        for (long tick = 0; tick < 10_000; tick++) {
            if (generator.isSpike(profile, tick)) {
                spikes++;
                continue;
            }
            double in = generator.generate(profile, tick, T0).networkIn();
            quiet = Math.min(quiet, in);
            loudest = Math.max(loudest, in);
        }
        assertTrue(spikes > 400 && spikes < 600, spikes + " spikes in 10,000 ticks at p = 0.05");
        // The daily swing is 3x at most and noise 1.35x; only bursts reach beyond 5x.
        assertTrue(loudest > 5 * quiet, "no burst: " + quiet + " .. " + loudest);
    }
}
