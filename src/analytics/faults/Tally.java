package analytics.faults;

import analytics.faults.Ledger.Answer;
import analytics.system1.redis.StreamFields;
import analytics.system1.worker.MetricAggregates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * After the storm: waits until System 1's workers have read and acknowledged everything in
 * the stream, then holds the ledger against the aggregates - each metric's serverId is its
 * own, so metrics:agg:&lt;serverId&gt; count is how many times that one metric was counted.
 *
 * Pattern: check invariants after recovery, not during the fault - "exactly once" is a
 *          property of the final state, reachable only once every retry has settled.
 * Lesson:  lessons/20-faults-and-floods.md
 * Threads: the campaign's main thread.
 */
final class Tally {

    /**
     * How the accepted metrics were counted: once (right), never (lost), more than once
     * (doubled); and refused metrics that were written anyway - a 503 promises nothing,
     * so those are not an error, only worth knowing.
     */
    record Counts(int accepted, int countedOnce, List<String> lost, List<String> doubled,
                  int refused, int refusedButCounted) {

        boolean exactlyOnce() {
            return lost.isEmpty() && doubled.isEmpty();
        }
    }

    private Tally() {
    }

    /**
     * Waits until the group has delivered the stream's newest entry and holds nothing
     * pending. Returns how long that took, or null when it did not happen in time.
     */
    static Duration awaitDrained(Jedis jedis, String streamKey, Duration timeout)
            throws InterruptedException {
        long began = System.nanoTime();
        long deadline = began + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (drained(jedis, streamKey)) {
                return Duration.ofNanos(System.nanoTime() - began);
            }
            Thread.sleep(200);
        }
        return null;
    }

    private static boolean drained(Jedis jedis, String streamKey) {
        List<StreamEntry> newest = jedis.xrevrange(streamKey, (StreamEntryID) null, null, 1);
        if (newest.isEmpty()) {
            return true;
        }
        for (StreamGroupInfo group : jedis.xinfoGroups(streamKey)) {
            if (group.getName().equals(StreamFields.GROUP)) {
                return group.getPending() == 0
                        && newest.get(0).getID().equals(group.getLastDeliveredId());
            }
        }
        return false;
    }

    static Counts count(Jedis jedis, Ledger ledger) {
        List<String> accepted = ledger.withAnswer(Answer.ACCEPTED);
        List<String> refused = ledger.withAnswer(Answer.REFUSED);
        Map<String, Long> acceptedCounts = counts(jedis, accepted);
        List<String> lost = new ArrayList<>();
        List<String> doubled = new ArrayList<>();
        acceptedCounts.forEach((serverId, count) -> {
            if (count == 0) {
                lost.add(serverId);
            } else if (count > 1) {
                doubled.add(serverId);
            }
        });
        int refusedButCounted = (int) counts(jedis, refused).values().stream().filter(c -> c > 0).count();
        return new Counts(accepted.size(), accepted.size() - lost.size() - doubled.size(),
                List.copyOf(lost), List.copyOf(doubled), refused.size(), refusedButCounted);
    }

    /** One pipelined HGET per metric: thousands of keys in a few round trips. */
    private static Map<String, Long> counts(Jedis jedis, List<String> serverIds) {
        Map<String, Response<String>> replies = new LinkedHashMap<>();
        Pipeline pipeline = jedis.pipelined();
        for (String serverId : serverIds) {
            replies.put(serverId, pipeline.hget(MetricAggregates.totalsKey(serverId), "count"));
        }
        pipeline.sync();
        Map<String, Long> counts = new LinkedHashMap<>();
        replies.forEach((serverId, reply) ->
                counts.put(serverId, reply.get() == null ? 0 : Long.parseLong(reply.get())));
        return counts;
    }
}
