package analytics.system1.worker;

import analytics.config.Config;
import analytics.log.Log;
import analytics.redis.RedisConnector;
import analytics.system1.redis.StreamFields;
import analytics.system1.redis.StreamShard;
import analytics.system1.redis.StreamShards;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * System 1's workers assembled: SYSTEM1_WORKER_COUNT consumers of group
 * {@code metrics-workers} and one pending-entry reclaimer, each a StreamWorker with its
 * own connection. Start as many pools as you like, in one process or in many: the group
 * shares the stream among all their consumers. A split stream (SYSTEM1_STREAM_SHARDS,
 * lesson 21) gets all of that per shard: every pool reads every shard.
 *
 * Pattern: composition root for a pool of competing consumers.
 * Lesson:  lessons/12-consumer-groups-and-at-least-once.md
 * Not here: the broadcaster (it only listens to what the workers PUBLISH).
 * Threads: start and close from one thread; the counters from any.
 */
public final class System1Workers implements AutoCloseable {

    private static final Log LOG = Log.get(System1Workers.class);
    /** Makes consumer names unique across the pools of one process (tests start several). */
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final List<StreamWorker> workers;
    /** One per stream shard. */
    private final List<StreamWorker> reclaimers;

    private System1Workers(List<StreamWorker> workers, List<StreamWorker> reclaimers) {
        this.workers = workers;
        this.reclaimers = reclaimers;
    }

    /** Starts even when Redis is down: every worker retries with backoff until it is back. */
    public static System1Workers start(Config config) {
        Config.System1 settings = config.system1();
        StreamShards shards = StreamShards.of(config);
        String prefix = consumerPrefix();
        List<StreamWorker> workers = new ArrayList<>();
        List<StreamWorker> reclaimers = new ArrayList<>();
        // Per shard: its own group, SYSTEM1_WORKER_COUNT consumers and a reclaimer, each
        // connected to the node serving the shard. The consumer names repeat from shard to
        // shard: a name is unique within its group, and every shard has its own group.
        for (StreamShard shard : shards.all()) {
            String stream = shard.streamKey();
            StreamWorkerScript script = new StreamWorkerScript(shard);
            for (int i = 1; i <= settings.workerCount(); i++) {
                String consumer = prefix + "-" + i;
                RedisConnector connector = new RedisConnector(config, "system1-worker-" + i).forKey(stream);
                workers.add(new StreamWorker(consumer, connector, stream, new GroupReader(stream, consumer), script));
            }
            String reclaimerName = prefix + "-reclaimer";
            reclaimers.add(new StreamWorker(reclaimerName,
                    new RedisConnector(config, "system1-reclaimer").forKey(stream), stream,
                    new PendingReclaimer(stream, reclaimerName, settings.claimIdle()), script));
        }
        workers.forEach(StreamWorker::start);
        reclaimers.forEach(StreamWorker::start);
        LOG.info("System 1 workers started", "workers", settings.workerCount(),
                "group", StreamFields.GROUP,
                "stream", shards.describe(), "consumers", prefix + "-1.." + settings.workerCount(),
                "claimIdleMs", settings.claimIdle().toMillis());
        return new System1Workers(List.copyOf(workers), List.copyOf(reclaimers));
    }

    /**
     * "hostname-pid" (and "-p2", "-p3" for further pools in the same process): unique per
     * process, and readable in {@code XINFO CONSUMERS}. A process restarted on a host gets a
     * new pid, so what its predecessor left pending is recovered by a reclaimer, not by
     * name. A container restarted in place is the exception: the same host name (its id)
     * and pid 1 again, so its workers read their own pending entries back (GroupReader).
     */
    private static String consumerPrefix() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "host";
        }
        int pool = POOLS.incrementAndGet();
        return host + "-" + ProcessHandle.current().pid() + (pool == 1 ? "" : "-p" + pool);
    }

    /** Entries processed by this pool's workers and reclaimer. */
    public long processed() {
        return all().stream().mapToLong(StreamWorker::processed).sum();
    }

    /** Redeliveries found already processed. */
    public long duplicates() {
        return all().stream().mapToLong(StreamWorker::duplicates).sum();
    }

    /** Entries the reclaimer took over from a dead consumer and processed. */
    public long reclaimed() {
        return reclaimers.stream().mapToLong(StreamWorker::processed).sum();
    }

    List<StreamWorker> workers() {
        return workers;
    }

    private List<StreamWorker> all() {
        List<StreamWorker> all = new ArrayList<>(workers);
        all.addAll(reclaimers);
        return all;
    }

    /** Each worker finishes its batch in hand; what is not acknowledged stays pending. */
    @Override
    public void close() {
        // Flag them all first, so they stop in parallel rather than one after another.
        all().forEach(StreamWorker::stopSoon);
        all().forEach(StreamWorker::close);
    }
}
