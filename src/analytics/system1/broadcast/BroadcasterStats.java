package analytics.system1.broadcast;

import analytics.redis.RedisSubscriber;
import analytics.stats.DeliveryFigures;
import analytics.stats.JvmFigures;
import analytics.stats.PrometheusText;
import analytics.stats.RateCounter;
import analytics.stats.StatsSnapshot;
import analytics.websocket.WebSocketServer;
import com.eclipsesource.json.JsonObject;
import java.util.List;
import java.util.function.IntSupplier;

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
    /** One per stream shard; null until observe(). */
    private List<RedisSubscriber> subscribers;
    private IntSupplier tickGroups = () -> 0;

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
    void observe(WebSocketServer webSocketServer, List<RedisSubscriber> redisSubscribers,
                 IntSupplier tickGroupCount) {
        this.server = webSocketServer;
        this.subscribers = List.copyOf(redisSubscribers);
        this.tickGroups = tickGroupCount;
    }

    /** Null while subscribed (to every shard channel); else why not. */
    String redisDownReason() {
        if (subscribers == null) {
            return "not started";
        }
        for (RedisSubscriber subscriber : subscribers) {
            String reason = subscriber.downReason();
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private long reconnects() {
        return subscribers == null ? 0
                : subscribers.stream().mapToLong(RedisSubscriber::reconnects).sum();
    }

    void sample() {
        received.sample();
        delivered.sample();
        unroutable.sample();
        rejected.sample();
    }

    /** The figures now, read once; /stats and /metrics/prometheus both render this. */
    Snapshot snapshot() {
        return new Snapshot((System.currentTimeMillis() - startedAt) / 1000,
                received.perSecond(), received.total(), unroutable.total(),
                reconnects(),
                server == null ? 0 : server.connectionCount(), tickGroups.getAsInt(),
                DeliveryFigures.of(delivered, server), rejected.total(), redisDownReason(), JvmFigures.now());
    }

    /** The broadcaster's figures at one instant; {@code redisDown} is null while subscribed. */
    record Snapshot(long uptimeSeconds, long receivedPerSecond, long receivedTotal,
                    long unroutableTotal, long reconnects, int dashboards, int tickGroups,
                    DeliveryFigures updates,
                    long rejectedTotal,
                    String redisDown, JvmFigures jvm) implements StatsSnapshot {

        @Override
        public JsonObject toJson() {
            return new JsonObject()
                    .add("system", "system1-broadcaster")
                    .add("uptimeSeconds", uptimeSeconds)
                    .add("channel", new JsonObject()
                            .add("receivedPerSecond", receivedPerSecond)
                            .add("receivedTotal", receivedTotal)
                            .add("unroutableTotal", unroutableTotal)
                            .add("reconnects", reconnects))
                    .add("connections", new JsonObject()
                            .add("dashboards", dashboards)
                            .add("tickGroups", tickGroups))
                    .add("updates", updates.toJson())
                    .add("rejectedTotal", rejectedTotal)
                    .add("redis", redisDown == null ? "ready" : redisDown)
                    .add("jvm", jvm.toJson());
        }

        @Override
        public String toPrometheus() {
            PrometheusText text = new PrometheusText("system1_broadcaster")
                    .counter("messages_received_total", "Messages heard on the Redis channel.", receivedTotal)
                    .counter("messages_unroutable_total", "Channel messages without payload.serverId.",
                            unroutableTotal);
            return jvm.addTo(updates.addTo(text, "Pushes queued to dashboards.")
                    .counter("messages_rejected_total", "Client messages answered with an error.",
                            rejectedTotal)
                    .counter("redis_reconnects_total", "Subscriptions made again after a lost connection.",
                            reconnects)
                    .gauge("dashboards", "Connected dashboards.", dashboards)
                    .gauge("tick_groups", "Tick dashboards grouped by interval and filter.", tickGroups)
                    .gauge("redis_up", "1 while subscribed to the channel.", redisDown == null ? 1 : 0))
                    .toString();
        }
    }
}
