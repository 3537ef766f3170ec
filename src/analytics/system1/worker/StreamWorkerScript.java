package analytics.system1.worker;

import analytics.log.Log;
import analytics.model.Metric;
import analytics.model.MetricValidator;
import analytics.system1.redis.StreamFields;
import com.eclipsesource.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Processes a whole batch of stream entries in Redis with ONE Lua script call
 * (stream-batch.lua beside this class): "of these entries, take those still pending for
 * me; fold them per server; update the latest samples, the servers set and the
 * aggregates with a few calls per server; PUBLISH each; XACK them all" - atomically, so
 * an entry is either fully processed and acknowledged, or not at all.
 *
 * Pattern: idempotent consumer - the group's pending-entries list is the "already done?"
 *          check: once acknowledged, a redelivered entry (a slow worker and a reclaimer both
 *          holding it) is no longer pending and changes nothing. Batching divides the cost
 *          of the script call and of the aggregate writes by the entries per server.
 * Lesson:  lessons/12-consumer-groups-and-at-least-once.md   Spec: Redis EVALSHA, XPENDING, XACK
 * Not here: reading entries (GroupReader, PendingReclaimer); the key layout (MetricAggregates).
 * Threads: immutable; apply() on the calling worker's own connection.
 */
public final class StreamWorkerScript {

    public static final String PROCESSED_TYPE = "metric.processed";

    static final String SCRIPT = resource("stream-batch.lua");

    /**
     * What one batch came to: processed now; no longer pending for this consumer (done by
     * another, or claimed away); not valid metrics (acknowledged, dropped); or left pending
     * because a write failed.
     */
    public record Outcome(int applied, int duplicates, int rejected, int failed) {
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
        return processedMessage(entryId, metric, metric.metricsJson().toString());
    }

    /**
     * The same text around a {@code metrics} object already written as JSON: prepare() has
     * that text anyway (for the latest hash), so the object is built and written once per
     * entry, not twice. minimal-json cannot embed ready-made JSON, hence the concatenation;
     * the strings still go through its escaping.
     */
    private static String processedMessage(String entryId, Metric metric, String metricsJson) {
        return "{\"type\":" + Json.value(PROCESSED_TYPE) + ",\"entryId\":" + Json.value(entryId)
                + ",\"payload\":{\"serverId\":" + Json.value(metric.serverId())
                + ",\"timestamp\":" + metric.timestamp() + ",\"metrics\":" + metricsJson + "}}";
    }

    /**
     * Processes the entries, handed to {@code consumer}, in one round trip. An entry that
     * is not a valid metric is acknowledged and logged (a poison message would otherwise
     * come back forever); entries whose writes failed stay pending for the reclaimer.
     */
    public Outcome apply(Jedis jedis, String consumer, List<StreamEntry> entries) {
        Batch batch = prepare(consumer, entries);
        try {
            return run(jedis, batch);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
                throw e;
            }
            // Someone ran SCRIPT FLUSH (or Redis restarted): load it and run the batch again.
            // Nothing of the script ran; the rejects' XACK may repeat, which is harmless.
            load(jedis);
            return run(jedis, batch);
        }
    }

    /** The script's KEYS and ARGV (layout at the top of stream-batch.lua), and the rejects. */
    private record Batch(List<String> keys, List<String> args, List<StreamEntryID> rejected) {
    }

    private Batch prepare(String consumer, List<StreamEntry> entries) {
        List<String> keys = new ArrayList<>(2 + 3 * entries.size());
        keys.add(streamKey);
        keys.add(MetricAggregates.SERVERS_KEY);
        List<String> args = new ArrayList<>(6 + 10 * entries.size());
        args.addAll(List.of(StreamFields.GROUP, consumer, channel, Long.toString(MetricAggregates.BUCKET_TTL_SECONDS)));
        args.addAll(List.of("", "")); // the id range, filled in below
        List<StreamEntryID> rejected = new ArrayList<>();
        StreamEntryID lowest = null;
        StreamEntryID highest = null;
        for (StreamEntry entry : entries) {
            StreamEntryID id = entry.getID();
            switch (StreamFields.toMetric(entry.getFields())) {
                case MetricValidator.Valid(Metric metric) -> {
                    String serverId = metric.serverId();
                    keys.add(MetricAggregates.latestKey(serverId));
                    keys.add(MetricAggregates.totalsKey(serverId));
                    keys.add(MetricAggregates.bucketKey(serverId, metric.timestamp()));
                    String entryId = id.toString();
                    String metricsJson = metric.metricsJson().toString();
                    args.addAll(List.of(entryId, serverId, Long.toString(metric.timestamp()),
                            metricsJson, processedMessage(entryId, metric, metricsJson),
                            Double.toString(metric.cpu()), Double.toString(metric.memory()),
                            Double.toString(metric.disk()), Double.toString(metric.networkIn()),
                            Double.toString(metric.networkOut())));
                    lowest = lowest == null || id.compareTo(lowest) < 0 ? id : lowest;
                    highest = highest == null || id.compareTo(highest) > 0 ? id : highest;
                }
                case MetricValidator.Invalid invalid -> {
                    LOG.warn("dropping an entry that is not a valid metric", "entryId", id.toString(),
                            "errors", invalid.errors().toString());
                    rejected.add(id);
                }
            }
        }
        if (lowest != null) {
            args.set(4, lowest.toString());
            args.set(5, highest.toString());
        }
        return new Batch(keys, args, rejected);
    }

    /** The script and the rejects' XACK in one pipeline: one round trip per batch. */
    private Outcome run(Jedis jedis, Batch batch) {
        Pipeline pipeline = jedis.pipelined();
        Response<Object> reply = batch.keys().size() > 2
                ? pipeline.evalsha(sha, batch.keys(), batch.args()) : null;
        if (!batch.rejected().isEmpty()) {
            pipeline.xack(streamKey, StreamFields.GROUP, batch.rejected().toArray(StreamEntryID[]::new));
        }
        pipeline.sync();
        if (reply == null) {
            return new Outcome(0, 0, batch.rejected().size(), 0);
        }
        List<?> counts = (List<?>) reply.get(); // throws the script's error, e.g. NOSCRIPT
        int failed = ((Long) counts.get(2)).intValue();
        if (failed > 0) {
            LOG.warn("processing entries failed; they stay pending", "count", failed,
                    "reason", text(counts.get(3)));
        }
        return new Outcome(((Long) counts.get(0)).intValue(), ((Long) counts.get(1)).intValue(),
                batch.rejected().size(), failed);
    }

    /** A Lua string in a script's reply: bytes, or already text, depending on the client. */
    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private static String resource(String name) {
        try (InputStream in = StreamWorkerScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing beside StreamWorkerScript.class");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
