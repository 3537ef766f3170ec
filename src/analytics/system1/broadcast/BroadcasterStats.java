package analytics.system1.broadcast;

import analytics.stats.PrometheusText;
import analytics.stats.RateCounter;
import analytics.websocket.WebSocketServer;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.lang.management.ManagementFactory;

/**
 * The broadcaster's own figures - messages heard on the channel, pushes queued to
 * dashboards, what the slow-consumer policy dropped, the subscription's state - as JSON
 * for GET /stats and Prometheus text for GET /metrics/prometheus.
 *
 * Pattern: a system that reports its own health; received vs. delivered shows the fan-out factor.
 * Lesson:  lessons/13-pub-sub-fan-out.md
 * Threads: counters from any thread; sample() once a second from the timer thread.
 */
final class BroadcasterStats {

    private final long startedAt = System.currentTimeMillis();
    private final RateCounter received = new RateCounter();
    private final RateCounter delivered = new RateCounter();
    private final RateCounter unroutable = new RateCounter();
    private final RateCounter rejected = new RateCounter();
    private WebSocketServer server;
    private BroadcasterSubscriber subscriber;

    /** Messages that arrived on the channel. */
    RateCounter received() {
        return received;
    }

    /** Pushes queued to dashboards (one message to three dashboards counts three). */
    RateCounter delivered() {
        return delivered;
    }

    /** Channel messages without a payload.serverId: not forwarded. */
    RateCounter unroutable() {
        return unroutable;
    }

    /** Client messages answered with an error. */
    RateCounter rejected() {
        return rejected;
    }

    /** Wired once at start, when the parts these figures come from exist. */
    void observe(WebSocketServer webSocketServer, BroadcasterSubscriber redisSubscriber) {
        this.server = webSocketServer;
        this.subscriber = redisSubscriber;
    }

    /** Null while subscribed; else why not. */
    String redisDownReason() {
        return subscriber == null ? "not started" : subscriber.downReason();
    }

    void sample() {
        received.sample();
        delivered.sample();
        unroutable.sample();
        rejected.sample();
    }

    JsonObject toJson() {
        String down = redisDownReason();
        Runtime runtime = Runtime.getRuntime();
        return new JsonObject()
                .add("system", "system1-broadcaster")
                .add("uptimeSeconds", (System.currentTimeMillis() - startedAt) / 1000)
                .add("channel", new JsonObject()
                        .add("receivedPerSecond", received.perSecond())
                        .add("receivedTotal", received.total())
                        .add("unroutableTotal", unroutable.total())
                        .add("reconnects", subscriber == null ? 0 : subscriber.reconnects()))
                .add("connections", new JsonObject()
                        .add("dashboards", server == null ? 0 : server.connectionCount()))
                .add("updates", new JsonObject()
                        .add("deliveredPerSecond", delivered.perSecond())
                        .add("deliveredTotal", delivered.total())
                        .add("dropped", server == null ? 0 : server.droppedMessages())
                        .add("slowConsumersClosed", server == null ? 0 : server.slowConsumersClosed()))
                .add("rejectedTotal", rejected.total())
                .add("redis", down == null ? Json.value("ready") : Json.value(down))
                .add("jvm", new JsonObject()
                        .add("heapUsedBytes", runtime.totalMemory() - runtime.freeMemory())
                        .add("heapMaxBytes", runtime.maxMemory())
                        .add("threads", ManagementFactory.getThreadMXBean().getThreadCount()));
    }

    String toPrometheus() {
        return new PrometheusText("system1_broadcaster")
                .counter("messages_received_total", "Messages heard on the Redis channel.", received.total())
                .counter("messages_unroutable_total", "Channel messages without payload.serverId.",
                        unroutable.total())
                .counter("updates_delivered_total", "Pushes queued to dashboards.", delivered.total())
                .counter("updates_dropped_total", "Messages dropped by the slow-consumer policy.",
                        server == null ? 0 : server.droppedMessages())
                .counter("slow_consumers_closed_total", "Connections closed with 1008 as slow consumers.",
                        server == null ? 0 : server.slowConsumersClosed())
                .counter("messages_rejected_total", "Client messages answered with an error.",
                        rejected.total())
                .counter("redis_reconnects_total", "Subscriptions made again after a lost connection.",
                        subscriber == null ? 0 : subscriber.reconnects())
                .gauge("dashboards", "Connected dashboards.", server == null ? 0 : server.connectionCount())
                .gauge("redis_up", "1 while subscribed to the channel.", redisDownReason() == null ? 1 : 0)
                .gauge("jvm_heap_used_bytes", "JVM heap in use.",
                        Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())
                .toString();
    }
}
