package analytics.sender;

import analytics.log.Log;
import java.net.http.HttpClient;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fake metric servers assembled: a generator, the schedule of every server, one
 * transport, and two timers on one thread - the send tick, and the summary line once a
 * second.
 *
 * Pattern: composition root - the one place that knows all the parts of the senders.
 * Lesson:  lessons/14-fake-metric-servers.md
 * Not here: flags and exit codes (SendersMain), the wire (the transports).
 * Threads: start and close from one thread; everything else runs on the timer thread.
 */
public final class Senders implements AutoCloseable {

    private static final Log LOG = Log.get("sender");

    private final SenderStats stats;
    private final MetricTransport transport;
    private final ScheduledExecutorService timer;

    private Senders(SenderStats stats, MetricTransport transport, ScheduledExecutorService timer) {
        this.stats = stats;
        this.transport = transport;
        this.timer = timer;
    }

    public static Senders start(SenderOptions options) throws InterruptedException {
        SenderStats stats = new SenderStats();
        MetricTransport transport = switch (options.mode()) {
            case HTTP -> new HttpTransport(options.target(), HttpClient.Version.HTTP_1_1,
                    options.bufferSize(), stats);
            case H2 -> new HttpTransport(options.target(), HttpClient.Version.HTTP_2,
                    options.bufferSize(), stats); // h2c upgrade
            case WS -> options.shards().size() > 1
                    ? new ShardedTransport(options.shards(), options.count(), options.bufferSize(), stats)
                    : new WebSocketTransport(options.target(), options.count(), options.bufferSize(), stats);
        };
        stats.observe(transport::connectionsUp, transport::buffered);
        MetricGenerator generator = new MetricGenerator(options.seed(),
                options.spikeProbability(), options.spikeMultiplier());
        SendSchedule schedule = new SendSchedule(generator, options.count(), options.first(),
                options.interval(), options.jitter(), options.seed(), System.nanoTime());
        // One platform thread does all the timing: sending is handing over, never waiting.
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sender-timer").daemon().factory());
        long tickMillis = Math.clamp(options.interval().toMillis() / 20, 1, 10);
        timer.scheduleAtFixedRate(
                () -> schedule.sendDue(System.nanoTime(), System.currentTimeMillis(), transport),
                0, tickMillis, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(stats::sampleAndLog, 1, 1, TimeUnit.SECONDS);
        LOG.info("started", "mode", options.mode().flag(), "target", options.shards().size() > 1
                        ? options.shards().toString() : options.target().toString(),
                "servers", options.count(), "intervalMs", options.interval().toMillis(),
                "jitterMs", options.jitter().toMillis(), "seed", options.seed(),
                "bufferSize", options.bufferSize());
        return new Senders(stats, transport, timer);
    }

    public SenderStats stats() {
        return stats;
    }

    /**
     * Stops the ticks first (nothing new is made), then the transport, then the summary,
     * which reports what was still buffered as unsent.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.close();
        stats.logFinal();
    }
}
