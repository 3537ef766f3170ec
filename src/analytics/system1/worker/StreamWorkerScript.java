package analytics.system1.worker;

import analytics.log.Log;
import analytics.log.Untrusted;
import analytics.model.Metric;
import analytics.model.MetricValidator;
import analytics.system1.redis.StreamFields;
import analytics.system1.redis.StreamShard;
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
 * Not here: reading entries (GroupReader, PendingReclaimer); the key layout (StreamShard,
 *           MetricAggregates).
 * Threads: immutable; apply() on the calling worker's own connection.
 */
public final class StreamWorkerScript {

    public static final String PROCESSED_TYPE = "metric.processed";

    static final String SCRIPT = resource("stream-batch.lua");

    // The script's protocol, as laid out at the top of stream-batch.lua: a head, then a
    // fixed number of KEYS and of ARGV per entry, in the order entryKeys/entryArgs add them.
    /** KEYS[1] the stream, KEYS[2] the set of servers. */
    static final int HEAD_KEYS = 2;
    /** Entry i's latest hash, totals hash, minute bucket hash. */
    static final int KEYS_PER_ENTRY = 3;
    /** Group, consumer, channel, bucket TTL, lowest and highest entry id, publish command. */
    static final int HEAD_ARGS = 7;
    /** The script's FIELDS: id, serverId, timestamp, metrics JSON, message, five numbers. */
    static final int ARGS_PER_ENTRY = 10;

    /**
     * What one batch came to: processed now; no longer pending for this consumer (done by
     * another, or claimed away); not valid metrics (acknowledged, dropped); or left pending
     * because a write failed.
     */
    public record Outcome(int applied, int duplicates, int rejected, int failed) {
    }

    private static final Log LOG = Log.get(StreamWorkerScript.class);

    private final StreamShard shard;
    private final String sha;

    /** For the one stream of a single Redis, under today's key names. */
    public StreamWorkerScript(String streamKey, String channel) {
        this(StreamShard.single(streamKey, channel));
    }

    /** For one shard: its stream, its keys (all in its slot), its channel. */
    public StreamWorkerScript(StreamShard shard) {
        this.shard = shard;
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

    /** The script's KEYS and ARGV, and the rejects (acknowledged beside the script call). */
    private record Batch(List<String> keys, List<String> args, List<StreamEntryID> rejected) {
        /** Only rejects: the script has nothing to do and is not called. */
        boolean hasValidEntries() {
            return keys.size() > HEAD_KEYS;
        }
    }

    /**
     * The script's reply, {applied, no longer pending, failed, first error or ""}: read
     * here once, by name everywhere else.
     */
    record Reply(int applied, int noLongerPending, int failed, String firstError) {
        static final int FIELDS = 4;

        static Reply of(Object reply) {
            if (!(reply instanceof List<?> fields) || fields.size() != FIELDS) {
                throw new IllegalStateException("stream-batch.lua answered " + reply
                        + ", not {applied, no longer pending, failed, first error}");
            }
            return new Reply(count(fields.get(0)), count(fields.get(1)), count(fields.get(2)),
                    text(fields.get(3)));
        }

        private static int count(Object field) {
            return ((Long) field).intValue();
        }
    }

    private Batch prepare(String consumer, List<StreamEntry> entries) {
        List<String> keys = new ArrayList<>(HEAD_KEYS + KEYS_PER_ENTRY * entries.size());
        keys.add(shard.streamKey());
        keys.add(shard.serversKey());
        List<String> perEntry = new ArrayList<>(ARGS_PER_ENTRY * entries.size());
        List<StreamEntryID> rejected = new ArrayList<>();
        StreamEntryID lowest = null;
        StreamEntryID highest = null;
        for (StreamEntry entry : entries) {
            StreamEntryID id = entry.getID();
            switch (StreamFields.toMetric(entry.getFields())) {
                case MetricValidator.Valid(Metric metric) -> {
                    keys.addAll(entryKeys(metric));
                    perEntry.addAll(entryArgs(id, metric));
                    lowest = lowest == null || id.compareTo(lowest) < 0 ? id : lowest;
                    highest = highest == null || id.compareTo(highest) > 0 ? id : highest;
                }
                case MetricValidator.Invalid invalid -> {
                    // Anyone can XADD: the errors quote the entry's own field names.
                    LOG.warn("dropping an entry that is not a valid metric", "entryId", id.toString(),
                            "errors", Untrusted.text(invalid.errors().toString(),
                                    Untrusted.MAX_REASON_CHARS));
                    rejected.add(id);
                }
            }
        }
        List<String> args = new ArrayList<>(HEAD_ARGS + perEntry.size());
        // No valid entry: the id range stays empty, and run() does not call the script.
        args.addAll(List.of(StreamFields.GROUP, consumer, shard.channel(),
                Long.toString(MetricAggregates.BUCKET_TTL_SECONDS),
                lowest == null ? "" : lowest.toString(),
                highest == null ? "" : highest.toString(),
                shard.shardedPubSub() ? "SPUBLISH" : "PUBLISH"));
        args.addAll(perEntry);
        return new Batch(keys, args, rejected);
    }

    /** KEYS for one entry, KEYS_PER_ENTRY of them: the key names are the shard's business. */
    private List<String> entryKeys(Metric metric) {
        String serverId = metric.serverId();
        return List.of(shard.latestKey(serverId), shard.totalsKey(serverId),
                shard.bucketKey(serverId, metric.timestamp()));
    }

    /** ARGV for one entry, ARGS_PER_ENTRY of them, the numbers as text. */
    private static List<String> entryArgs(StreamEntryID id, Metric metric) {
        String entryId = id.toString();
        String metricsJson = metric.metricsJson().toString();
        return List.of(entryId, metric.serverId(), Long.toString(metric.timestamp()), metricsJson,
                processedMessage(entryId, metric, metricsJson),
                Double.toString(metric.cpu()), Double.toString(metric.memory()),
                Double.toString(metric.disk()), Double.toString(metric.networkIn()),
                Double.toString(metric.networkOut()));
    }

    /** The script and the rejects' XACK in one pipeline: one round trip per batch. */
    private Outcome run(Jedis jedis, Batch batch) {
        Pipeline pipeline = jedis.pipelined();
        Response<Object> reply = batch.hasValidEntries()
                ? pipeline.evalsha(sha, batch.keys(), batch.args()) : null;
        if (!batch.rejected().isEmpty()) {
            pipeline.xack(shard.streamKey(), StreamFields.GROUP, batch.rejected().toArray(StreamEntryID[]::new));
        }
        pipeline.sync();
        if (reply == null) {
            return new Outcome(0, 0, batch.rejected().size(), 0);
        }
        Reply answer = Reply.of(reply.get()); // get() throws the script's error, e.g. NOSCRIPT
        if (answer.failed() > 0) {
            LOG.warn("processing entries failed; they stay pending", "count", answer.failed(),
                    "reason", answer.firstError());
        }
        return new Outcome(answer.applied(), answer.noLongerPending(), batch.rejected().size(),
                answer.failed());
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
