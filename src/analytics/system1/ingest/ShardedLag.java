package analytics.system1.ingest;

import java.util.List;

/**
 * The group lag of every stream shard, one GroupLag (thread and connection) each. A write is
 * refused when ANY shard's group is SYSTEM1_MAX_LAG behind: the limit protects each stream
 * from trimming entries no worker read, and every stream is trimmed on its own. /stats shows
 * the shards added up. With one shard it is that GroupLag, call for call.
 *
 * Pattern: backpressure per partition (the slowest partition decides).
 * Lesson:  lessons/21-scaling-system1-out.md
 * Not here: measuring (GroupLag).
 * Threads: any thread; each GroupLag runs its own.
 */
final class ShardedLag implements AutoCloseable {

    private final List<GroupLag> lags;

    ShardedLag(List<GroupLag> lags) {
        this.lags = List.copyOf(lags);
    }

    void start() {
        lags.forEach(GroupLag::start);
    }

    /** The first shard's reason to refuse, or null. */
    String refusal() {
        for (GroupLag lag : lags) {
            String refusal = lag.refusal();
            if (refusal != null) {
                return lags.size() == 1 ? refusal : "stream shard " + lags.indexOf(lag) + ": " + refusal;
            }
        }
        return null;
    }

    /** The readings of all shards added up; null unless every shard has a fresh one. */
    GroupLag.Reading latest() {
        if (lags.size() == 1) {
            return lags.get(0).latest();
        }
        long length = 0;
        long lag = 0;
        long pending = 0;
        boolean groupExists = true;
        long oldest = Long.MAX_VALUE;
        for (GroupLag shard : lags) {
            GroupLag.Reading reading = shard.latest();
            if (reading == null) {
                return null;
            }
            length += reading.streamLength();
            lag += reading.lag();
            pending += reading.pending();
            groupExists &= reading.groupExists();
            oldest = Math.min(oldest, reading.at());
        }
        return new GroupLag.Reading(length, lag, pending, groupExists, oldest);
    }

    long maxLag() {
        return lags.get(0).maxLag();
    }

    @Override
    public void close() {
        lags.forEach(GroupLag::close);
    }
}
