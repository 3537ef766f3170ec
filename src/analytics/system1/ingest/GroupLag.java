package analytics.system1.ingest;

import analytics.log.Log;
import analytics.retry.Outage;
import analytics.redis.RedisConnector;
import analytics.redis.RedisUnavailableException;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamInfo;

/**
 * How far the consumer group {@code metrics-workers} is behind the ingest stream: entries
 * never delivered to any worker (the group's lag), plus the stream length and the pending
 * (delivered, not yet acknowledged) count - measured by one virtual thread every REFRESH,
 * so a request reads a cached value and never costs an XINFO.
 *
 * Pattern: backpressure - a bounded backlog; the signal is sampled in the background and
 *          requests read the latest snapshot.
 * Lesson:  lessons/10-stateless-http-ingest.md   Spec: Redis XINFO STREAM, XINFO GROUPS (7.0)
 * Not here: the 503 itself (IngestHandler, IngestResponses); reading the stream (workers).
 * Threads: one refresher thread owns the connection; latest() from any thread.
 *
 * Where the number comes from. Redis 7.0 reports {@code lag} per group (entries added
 * minus entries the group read). It is null when Redis cannot tell - after XDEL left
 * holes between the group's position and the end. Then: 0 if the group has delivered up
 * to the stream's last-generated-id; else the entries after its last-delivered-id are
 * counted with XRANGE, at most SYSTEM1_MAX_LAG of them (all the decision needs). That
 * scan is costly, but bounded and only while Redis cannot count. (Taking the stream
 * length instead would be cheap, but with a stream longer than the limit it would refuse
 * for ever: no new entries, so the group never passes the hole.) No group yet (no worker
 * ever started): every entry is waiting, so the lag is the stream length. No stream: 0.
 */
final class GroupLag implements AutoCloseable {

    /** Between two measurements: a burst can overshoot the limit by one REFRESH of traffic. */
    static final Duration REFRESH = Duration.ofMillis(200);
    /** A reading older than this is not trusted to refuse anyone (Redis is down, probably). */
    static final Duration STALE_AFTER = Duration.ofSeconds(2);

    private static final Log LOG = Log.get(GroupLag.class);

    /** One measurement; {@code at} is System.nanoTime() when it was taken. */
    record Reading(long streamLength, long lag, long pending, boolean groupExists, long at) {
    }

    private final RedisConnector connector;
    private final String streamKey;
    private final String group;
    private final long maxLag;
    private final Thread thread;
    private final Outage outage;
    private volatile Reading latest; // null until the first measurement
    private volatile boolean closed;
    private Jedis jedis; // refresher thread only

    /** @param maxLag SYSTEM1_MAX_LAG: from this many waiting entries on, refuse new ones */
    GroupLag(RedisConnector connector, String streamKey, String group, long maxLag) {
        this.connector = connector;
        this.streamKey = streamKey;
        this.group = group;
        this.maxLag = maxLag;
        this.thread = Thread.ofVirtual().name("system1-group-lag").unstarted(this::run);
        // DEBUG: the batcher already warns about the same Redis; its 503s say it too.
        this.outage = Outage.startingUp(LOG, "cannot measure the group lag",
                "measuring the group lag again", () -> closed).atDebug();
    }

    void start() {
        thread.start();
    }

    /** The latest reading still fresh enough to act on, or null (none yet, or stale). */
    Reading latest() {
        Reading reading = latest;
        if (reading == null || System.nanoTime() - reading.at() > STALE_AFTER.toNanos()) {
            return null;
        }
        return reading;
    }

    /**
     * Why a new write must be refused, or null. At the limit already counts: accepting one
     * more would leave more than SYSTEM1_MAX_LAG entries waiting. Unknown or stale means
     * "do not refuse for lag" - if Redis is down the write fails on its own, with its reason.
     */
    String refusal() {
        Reading reading = latest();
        if (reading == null || reading.lag() < maxLag) {
            return null;
        }
        return "consumer group lag " + reading.lag() + " has reached SYSTEM1_MAX_LAG " + maxLag;
    }

    long maxLag() {
        return maxLag;
    }

    private void run() {
        while (!closed) {
            boolean measured = measureOnce();
            if (!(measured ? outage.pauseFor(REFRESH) : outage.pause())) {
                closed = true;
            }
        }
        disconnect();
    }

    /** One measurement, connecting first if need be; false when Redis is away. */
    private boolean measureOnce() {
        try {
            if (jedis == null) {
                jedis = new Jedis(connector.connect());
            }
            latest = measure(jedis);
            outage.up();
            return true;
        } catch (JedisException e) {
            // Redis away: the batcher answers 503 on its own; here, just try again later.
            disconnect();
            outage.down(RedisUnavailableException.reasonOf(e));
            return false;
        }
    }

    /** Two commands, one thread, every REFRESH: negligible next to the ingest traffic. */
    Reading measure(Jedis redis) {
        long now = System.nanoTime();
        StreamInfo stream;
        try {
            stream = redis.xinfoStream(streamKey);
        } catch (JedisDataException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such key")) {
                return new Reading(0, 0, 0, false, now); // nothing ingested yet
            }
            throw e;
        }
        List<StreamGroupInfo> groups = redis.xinfoGroups(streamKey);
        for (StreamGroupInfo info : groups) {
            if (info.getName().equals(group)) {
                long lag = lagOf(redis, info, stream);
                return new Reading(stream.getLength(), lag, info.getPending(), true, now);
            }
        }
        return new Reading(stream.getLength(), stream.getLength(), 0, false, now);
    }

    /** Redis's own lag, or the fallback of the header when it reports null. */
    private long lagOf(Jedis redis, StreamGroupInfo info, StreamInfo stream) {
        if (info.getGroupInfo().get("lag") instanceof Long lag) {
            return lag;
        }
        StreamEntryID delivered = info.getLastDeliveredId();
        if (delivered.compareTo(stream.getLastGeneratedId()) >= 0) {
            return 0;
        }
        int enough = (int) Math.min(maxLag, Integer.MAX_VALUE);
        return redis.xrange(streamKey, "(" + delivered, "+", enough).size(); // "(": exclusive
    }

    private void disconnect() {
        RedisConnector.closeQuietly(jedis);
        jedis = null;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(RedisConnector.SOCKET_TIMEOUT.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
