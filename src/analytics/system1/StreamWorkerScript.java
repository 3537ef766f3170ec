package analytics.system1;

import analytics.log.Log;
import analytics.model.Metric;
import analytics.model.MetricValidator;
import com.eclipsesource.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Processes stream entries in Redis, one Lua script per entry, all of a batch in one
 * pipeline: "if the entry is still pending in the group, update the latest sample, the
 * servers set and the aggregates, PUBLISH it, and XACK it" - atomically, so an entry is
 * either fully processed and acknowledged, or not at all.
 *
 * Pattern: idempotent consumer - the group's pending-entries list is the "already done?"
 *          check: once acknowledged, a redelivered entry (a slow worker and a reclaimer both
 *          holding it) finds itself no longer pending and changes nothing.
 * Lesson:  lessons/12-consumer-groups-and-at-least-once.md   Spec: Redis EVALSHA, XPENDING, XACK
 * Not here: reading entries (GroupReader, PendingReclaimer); the key layout (MetricAggregates).
 * Threads: immutable; apply() on the calling worker's own connection.
 */
public final class StreamWorkerScript {

    public static final String GROUP = "metrics-workers";
    public static final String PROCESSED_TYPE = "metric.processed";

    /**
     * KEYS: stream, latest hash, servers set, totals hash, minute bucket hash.
     * ARGV: group, entry id, serverId, timestamp, metrics JSON, channel, message,
     *       cpu, memory, disk, network in, network out, bucket TTL in seconds.
     * XPENDING first, XACK last: a command failing midway (WRONGTYPE on a key someone
     * overwrote) leaves the entry pending, visible and retried, instead of silently
     * acknowledged. Scripts have no rollback, so that retry may re-apply what ran before
     * the failure - the price of reporting rather than hiding it.
     */
    static final String SCRIPT = """
            if #redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1) == 0 then
              return 0
            end
            local previous = tonumber(redis.call('HGET', KEYS[2], 'timestamp'))
            if previous == nil or tonumber(ARGV[4]) >= previous then
              redis.call('HSET', KEYS[2], 'timestamp', ARGV[4], 'metrics', ARGV[5])
            end
            redis.call('SADD', KEYS[3], ARGV[3])
            for i = 4, 5 do
              redis.call('HINCRBY', KEYS[i], 'count', 1)
              redis.call('HINCRBYFLOAT', KEYS[i], 'cpuSum', ARGV[8])
              redis.call('HINCRBYFLOAT', KEYS[i], 'memorySum', ARGV[9])
              redis.call('HINCRBYFLOAT', KEYS[i], 'diskSum', ARGV[10])
              redis.call('HINCRBYFLOAT', KEYS[i], 'networkInSum', ARGV[11])
              redis.call('HINCRBYFLOAT', KEYS[i], 'networkOutSum', ARGV[12])
            end
            redis.call('EXPIRE', KEYS[5], ARGV[13])
            redis.call('PUBLISH', ARGV[6], ARGV[7])
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            return 1
            """;

    /** What one batch came to: processed now, found already processed, or unreadable. */
    public record Outcome(int applied, int duplicates, int rejected) {
    }

    private static final Log LOG = Log.get(StreamWorkerScript.class);

    private final String streamKey;
    private final String channel;
    private final String sha;

    public StreamWorkerScript(String streamKey, String channel) {
        this.streamKey = streamKey;
        this.channel = channel;
        this.sha = sha1(SCRIPT);
    }

    /** SCRIPT LOAD on a fresh connection: a restarted Redis has an empty script cache. */
    void load(Jedis jedis) {
        jedis.scriptLoad(SCRIPT);
    }

    /** The exact text the broadcaster receives for one processed entry (the shared contract). */
    public static String processedMessage(String entryId, Metric metric) {
        return new JsonObject().add("type", PROCESSED_TYPE).add("entryId", entryId)
                .add("payload", metric.toJson()).toString();
    }

    /**
     * Processes the entries in one round trip. An entry that is not a valid metric is
     * acknowledged and logged (a poison message would otherwise come back forever); an
     * entry whose script failed stays pending for the reclaimer.
     */
    public Outcome apply(Jedis jedis, List<StreamEntry> entries) {
        Outcome first = applyOnce(jedis, entries);
        if (first != null) {
            return first;
        }
        // NOSCRIPT: someone ran SCRIPT FLUSH. Load it and run the whole batch again - safe,
        // because entries done in the first pass are no longer pending and are skipped.
        load(jedis);
        Outcome second = applyOnce(jedis, entries);
        if (second == null) {
            throw new JedisDataException("NOSCRIPT twice in a row: the script cache is being flushed");
        }
        return second;
    }

    /** @return null when Redis did not know the script */
    private Outcome applyOnce(Jedis jedis, List<StreamEntry> entries) {
        Pipeline pipeline = jedis.pipelined();
        List<Response<Object>> replies = new ArrayList<>(entries.size());
        List<String> ids = new ArrayList<>(entries.size());
        int rejected = 0;
        for (StreamEntry entry : entries) {
            String id = entry.getID().toString();
            switch (StreamFields.toMetric(entry.getFields())) {
                case MetricValidator.Valid valid -> {
                    replies.add(pipeline.evalsha(sha, keys(valid.metric()), args(id, valid.metric())));
                    ids.add(id);
                }
                case MetricValidator.Invalid invalid -> {
                    LOG.warn("dropping an entry that is not a valid metric", "entryId", id,
                            "errors", invalid.errors().toString());
                    pipeline.xack(streamKey, GROUP, entry.getID());
                    rejected++;
                }
            }
        }
        pipeline.sync();
        int applied = 0;
        int duplicates = 0;
        boolean noScript = false;
        for (int i = 0; i < replies.size(); i++) {
            try {
                if (replies.get(i).get() instanceof Long done && done == 1L) {
                    applied++;
                } else {
                    duplicates++;
                }
            } catch (JedisDataException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
                    noScript = true;
                } else {
                    LOG.warn("processing an entry failed; it stays pending", "entryId", ids.get(i),
                            "reason", e.getMessage());
                }
            }
        }
        return noScript ? null : new Outcome(applied, duplicates, rejected);
    }

    private List<String> keys(Metric metric) {
        String serverId = metric.serverId();
        return List.of(streamKey, MetricAggregates.latestKey(serverId), MetricAggregates.SERVERS_KEY,
                MetricAggregates.totalsKey(serverId),
                MetricAggregates.bucketKey(serverId, metric.timestamp()));
    }

    private List<String> args(String entryId, Metric metric) {
        return List.of(GROUP, entryId, metric.serverId(), Long.toString(metric.timestamp()),
                metric.metricsJson().toString(), channel, processedMessage(entryId, metric),
                Double.toString(metric.cpu()), Double.toString(metric.memory()),
                Double.toString(metric.disk()),
                Double.toString(metric.networkIn()), Double.toString(metric.networkOut()),
                Long.toString(MetricAggregates.BUCKET_TTL_SECONDS));
    }

    private static String sha1(String script) {
        try {
            byte[] text = script.getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
