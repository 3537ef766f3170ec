package analytics.fanout;

import analytics.stats.RateCounter;
import analytics.websocket.FrameEncoder;
import analytics.websocket.WebSocketConnection;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

/**
 * The tick dashboards that share one interval and one filter: one map of the latest value
 * per changed server, written once per metric whatever the number of members, and one
 * tick message, encoded and framed once per interval, queued on every member.
 *
 * Pattern: conflation (latest per key) shared by every reader who would conflate alike;
 *          fan-out with shared encoded frames.
 * Lesson:  lessons/07-backpressure-and-fan-out.md   Spec: the contract's tick mode rows
 * Not here: which group a dashboard is in, and the timer's start and stop (TickGroups).
 * Threads: hold() from the systems' publishing threads, flush() on the scheduler, members
 *          join and leave on their reader threads: concurrent map and set; the schedule is
 *          written under TickGroups' lock.
 */
final class TickGroup<V> {

    static final String TICK_TYPE = "tick";

    private final Subscription subscription;
    private final Map<String, V> held = new ConcurrentHashMap<>();
    private final Set<WebSocketConnection> members = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> schedule; // under TickGroups' lock

    TickGroup(Subscription subscription) {
        this.subscription = subscription;
    }

    Subscription subscription() {
        return subscription;
    }

    Set<WebSocketConnection> members() {
        return members;
    }

    void startTicks(ScheduledFuture<?> ticks) {
        schedule = ticks;
    }

    void stopTicks() {
        schedule.cancel(false);
    }

    /** The latest value of its server, replacing an older one not yet sent. */
    void hold(String serverId, V latest) {
        held.put(serverId, latest);
    }

    /**
     * One {"type":"tick","payload":[...]} to every member, when anything changed since the
     * last; what a value becomes on the wire is the system's business ({@code toJson}, which
     * may answer null for a value it cannot send).
     */
    void flush(Function<V, JsonValue> toJson, RateCounter delivered) {
        JsonArray payload = new JsonArray();
        for (String serverId : held.keySet()) {
            // remove() takes the value atomically: a hold() after it waits for the next tick
            V latest = held.remove(serverId);
            JsonValue element = latest == null ? null : toJson.apply(latest);
            if (element != null) {
                payload.add(element);
            }
        }
        if (payload.isEmpty() || members.isEmpty()) {
            return;
        }
        String tick = new JsonObject().add("type", TICK_TYPE).add("payload", payload).toString();
        byte[] frame = FrameEncoder.text(tick);
        for (WebSocketConnection member : members) {
            member.send(frame); // its own bounded queue: a slow member drops, the others do not wait
            delivered.increment();
        }
    }
}
