package analytics.system1.ingest;

import analytics.model.Metric;
import analytics.redis.RedisConnector;
import analytics.redis.RedisUnavailableException;
import analytics.system1.redis.StreamFields;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;

/**
 * One round trip: every job's commands written back to back, the replies read back in the
 * same order, then each job completed with its own outcome.
 *
 * Pattern: pipelining - N commands cost one network round trip instead of N; the replies
 *          come back in order, so the k-th reply belongs to the k-th command.
 * Lesson:  lessons/11-group-commit-into-redis-streams.md   Spec: Redis pipelining, XADD, MULTI/EXEC
 * Not here: when round trips happen and what a lost connection does (StreamBatcher).
 * Threads: the batcher thread only.
 *
 * What "nothing half-written" means. One metric is one XADD: Redis applies it whole or not
 * at all. A batch of several goes as MULTI, its XADDs, EXEC inside the pipeline: Redis
 * applies the transaction at EXEC, all of it, with no other client's command in between,
 * and if the connection dies before EXEC arrives Redis discards what was queued. What no
 * protocol can give is certainty about a lost reply: when the connection dies after Redis
 * executed a command but before its reply arrived, the caller gets a failure (503) although
 * the entries are in the stream, and a retry writes them twice. So 202 always means
 * "written", 503 means "perhaps not": at-least-once, and the workers tolerate duplicates.
 *
 * "Written" means written on the master. Redis replicates asynchronously, so a master that
 * dies before its replica copied a write takes it along, although it was answered 202 (lesson
 * 21 measures it). With SYSTEM1_REDIS_WAIT_REPLICAS = n > 0 the round trip ends with
 * {@code WAIT n WAIT_TIMEOUT}: the writes count as done only when n replicas have them, and
 * otherwise every append of the round trip is answered 503 ("perhaps written", as above).
 */
final class StreamPipeline {

    /**
     * How long WAIT may hold a round trip: well under the 2 s socket timeout, and far above
     * what a replica on the same network needs (under a millisecond here).
     */
    static final long WAIT_TIMEOUT_MILLIS = 500;

    private final String streamKey;
    private final XAddParams trim;
    private final int waitReplicas;

    /**
     * @param maxLen the stream is trimmed to about this many entries ({@code MAXLEN ~}:
     *               Redis trims whole macro-nodes only, far cheaper than an exact trim)
     */
    StreamPipeline(String streamKey, long maxLen) {
        this(streamKey, maxLen, 0);
    }

    /** @param waitReplicas replicas that must confirm the writes (WAIT); 0: none */
    StreamPipeline(String streamKey, long maxLen, int waitReplicas) {
        this.streamKey = streamKey;
        this.trim = XAddParams.xAddParams().maxLen(maxLen).approximateTrimming();
        this.waitReplicas = waitReplicas;
    }

    /**
     * Sends the jobs in one round trip and completes each. A refusal of one job (WRONGTYPE,
     * OOM) fails that job only and the connection stays usable.
     *
     * @return the entries Redis confirmed
     * @throws JedisException the connection failed: no job was completed, their outcome is unknown
     */
    int send(Connection connection, List<StreamJob> jobs) throws JedisException {
        List<IntSupplier> completions = new ArrayList<>(jobs.size());
        // Commands go to the connection's output buffer, which may already flush to the
        // socket (and fail) while they are added - so the caller's catch covers all of it.
        Pipeline pipeline = new Pipeline(connection);
        boolean appends = false;
        for (StreamJob job : jobs) {
            appends |= job instanceof StreamJob.Append;
            completions.add(switch (job) {
                case StreamJob.Append append -> append(pipeline, append);
                case StreamJob.Ping ping -> ping(pipeline, ping);
                case StreamJob.Wake wake -> () -> 0;
            });
        }
        Response<Object> replicated = waitReplicas > 0 && appends
                ? pipeline.sendCommand(new CommandArguments(Protocol.Command.WAIT)
                        .add(waitReplicas).add(WAIT_TIMEOUT_MILLIS))
                : null;
        pipeline.sync(); // flush, then read every reply in order
        String unreplicated = replicated == null ? null : shortOfReplicas(replicated.get());
        int written = 0;
        for (int i = 0; i < jobs.size(); i++) {
            if (unreplicated != null && jobs.get(i) instanceof StreamJob.Append append) {
                append.fail(new RedisUnavailableException(unreplicated));
            } else {
                written += completions.get(i).getAsInt();
            }
        }
        if (misrouted != null) {
            // The slot has another master now (failover): the jobs got their 503; the
            // batcher must connect again, to whichever node serves the slot now.
            JedisDataException cause = misrouted;
            misrouted = null;
            throw new JedisConnectionException("this node no longer serves " + streamKey + ": "
                    + cause.getMessage(), cause);
        }
        return written;
    }

    /** Null when WAIT counted enough replicas; else the reason every append is answered 503. */
    private String shortOfReplicas(Object reply) {
        long confirmed = reply instanceof Long count ? count : -1;
        if (confirmed >= waitReplicas) {
            return null;
        }
        return "written on the Redis master but confirmed by " + Math.max(confirmed, 0) + " of "
                + waitReplicas + " replicas (SYSTEM1_REDIS_WAIT_REPLICAS) within "
                + WAIT_TIMEOUT_MILLIS + " ms: a failover could lose it";
    }

    /** A reply of this round trip that said "wrong node"; batcher thread only. */
    private JedisDataException misrouted;

    private IntSupplier append(Pipeline pipeline, StreamJob.Append append) {
        List<Metric> metrics = append.metrics();
        if (metrics.size() == 1) {
            Response<StreamEntryID> id = pipeline.xadd(streamKey, trim, StreamFields.of(metrics.get(0)));
            return () -> complete(append, () -> List.of(id.get().toString()));
        }
        // MULTI ... EXEC: the replies to the XADDs are just "QUEUED"; the ids come with EXEC's.
        pipeline.sendCommand(new CommandArguments(Protocol.Command.MULTI));
        for (Metric metric : metrics) {
            pipeline.xadd(streamKey, trim, StreamFields.of(metric));
        }
        Response<Object> exec = pipeline.sendCommand(new CommandArguments(Protocol.Command.EXEC));
        return () -> complete(append, () -> idsFromExec(exec.get(), metrics.size()));
    }

    private static IntSupplier ping(Pipeline pipeline, StreamJob.Ping ping) {
        Response<Object> pong = pipeline.sendCommand(new CommandArguments(Protocol.Command.PING));
        return () -> {
            try {
                pong.get();
                ping.done().complete(null);
            } catch (JedisDataException e) {
                ping.fail(new RedisUnavailableException("Redis refused PING: " + e.getMessage()));
            }
            return 0;
        };
    }

    private int complete(StreamJob.Append append, Supplier<List<String>> ids) {
        try {
            List<String> confirmed = ids.get();
            append.ids().complete(confirmed);
            return confirmed.size();
        } catch (JedisDataException e) {
            if (RedisConnector.misrouted(e)) {
                misrouted = e;
            }
            append.fail(new RedisUnavailableException("Redis refused the write: " + e.getMessage()));
            return 0;
        }
    }

    /**
     * EXEC answers with one reply per queued command. EXECABORT (a command refused while
     * queueing) comes as an exception from get(), and then nothing was applied. An error
     * inside the array means that command failed at run time while the others were applied
     * - Redis has no rollback - so the job fails; every XADD here targets the same stream
     * with the same arguments, so they fail alike (WRONGTYPE), but it is reported, not hidden.
     */
    private static List<String> idsFromExec(Object reply, int expected) {
        if (!(reply instanceof List<?> replies) || replies.size() != expected) {
            throw new JedisDataException("unexpected EXEC reply: " + reply);
        }
        List<String> ids = new ArrayList<>(expected);
        for (Object item : replies) {
            if (item instanceof JedisDataException error) {
                throw error;
            }
            if (!(item instanceof byte[] id)) {
                throw new JedisDataException("unexpected EXEC reply item: " + item);
            }
            ids.add(new String(id, StandardCharsets.UTF_8));
        }
        return ids;
    }
}
