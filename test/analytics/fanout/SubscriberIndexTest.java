package analytics.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The index a fan-out asks "who gets this server's metric": dashboards are plain names here,
 * since the index never looks inside them; the concurrent test races a dashboard changing
 * its filter against a publisher on real threads.
 */
class SubscriberIndexTest {

    private static final Subscription EVERY = Subscription.EVERYTHING;
    private static final Subscription FOLLOWS_A = new Subscription("a", Subscription.EACH_METRIC);
    private static final Subscription FOLLOWS_B = new Subscription("b", Subscription.EACH_METRIC);
    private static final Subscription TICKS = new Subscription(null, 250);

    private final SubscriberIndex<String> index = new SubscriberIndex<>();

    @Test
    void aMetricGoesToTheFleetFollowersAndItsOwnServersFollowersOnly() {
        index.put("fleet", EVERY);
        index.put("on-a", FOLLOWS_A);
        index.put("on-b", FOLLOWS_B);
        index.put("ticker", TICKS);

        assertEquals(List.of("fleet", "on-a"), sorted(index.recipients("a")));
        assertEquals(List.of("fleet", "on-b"), sorted(index.recipients("b")));
        assertEquals(List.of("fleet"), index.recipients("c"));
        assertEquals(4, index.size(), "tick dashboards are registered, just not recipients");
    }

    @Test
    void nobodyListeningIsAnEmptyAnswer() {
        assertTrue(index.recipients("a").isEmpty());
        index.put("ticker", TICKS);
        index.put("on-b", FOLLOWS_B);
        assertTrue(index.recipients("a").isEmpty());
    }

    @Test
    void aNewSubscriptionReplacesTheOldOneInEveryDirection() {
        index.put("d", EVERY);
        index.put("d", FOLLOWS_A);
        assertEquals(List.of("d"), index.recipients("a"));
        assertEquals(List.of(), index.recipients("b"), "no longer in the fleet set");

        index.put("d", FOLLOWS_B);
        assertEquals(List.of(), index.recipients("a"), "no longer a follower of a");
        assertEquals(List.of("d"), index.recipients("b"));

        index.put("d", TICKS);
        assertEquals(List.of(), index.recipients("b"), "tick mode takes it out of every set");

        index.put("d", EVERY);
        assertEquals(List.of("d"), index.recipients("b"));
        assertEquals(1, index.size());
    }

    @Test
    void aRemovedDashboardGetsNothingMore() {
        index.put("d", FOLLOWS_A);
        index.put("e", EVERY);
        index.remove("d");
        index.remove("e");
        index.remove("never-there");
        assertEquals(List.of(), index.recipients("a"));
        assertEquals(0, index.size());
    }

    /**
     * A dashboard switching between "every server" and "a" is a recipient of a's metrics
     * under either filter: however the switch interleaves with a publisher, it must be
     * found exactly once - never missed between the two sets, never found in both.
     */
    @Test
    void aDashboardChangingItsFilterIsFoundExactlyOnceMeanwhile() throws Exception {
        index.put("switcher", EVERY);
        AtomicBoolean done = new AtomicBoolean();
        Thread switcher = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 200_000; i++) {
                index.put("switcher", i % 2 == 0 ? FOLLOWS_A : EVERY);
            }
            done.set(true);
        });
        Map<Integer, Integer> timesFound = new TreeMap<>();
        while (!done.get()) {
            timesFound.merge(index.recipients("a").size(), 1, Integer::sum);
        }
        switcher.join();
        assertEquals(List.of(1), List.copyOf(timesFound.keySet()),
                "how many times the switcher was found, and how often: " + timesFound);
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }
}
