package analytics.system1.broadcast;

import analytics.websocket.WebSocketConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which server each dashboard of the broadcaster follows. A dashboard that never subscribed
 * has no entry and receives everything, as in the original.
 *
 * Pattern: per-connection state in the application's own typed map, not on the connection;
 *          a subscribe replaces the entry, never changes it.
 * Lesson:  lessons/13-pub-sub-fan-out.md
 * Threads: subscribe and forget on each connection's reader thread, wants on the subscriber
 *          thread; a concurrent map.
 */
final class BroadcasterSubscriptions {

    /** The entry for "every server": a ConcurrentHashMap holds no null, and "" is no id. */
    private static final String EVERY_SERVER = "";

    private final Map<WebSocketConnection, String> filters = new ConcurrentHashMap<>();

    /** @param serverId the only server whose messages the dashboard wants; null for all */
    void subscribe(WebSocketConnection dashboard, String serverId) {
        filters.put(dashboard, serverId == null ? EVERY_SERVER : serverId);
    }

    void forget(WebSocketConnection dashboard) {
        filters.remove(dashboard);
    }

    boolean wants(WebSocketConnection dashboard, String serverId) {
        return matches(filters.get(dashboard), serverId);
    }

    /** A missing filter (never subscribed) and the empty one follow every server. */
    static boolean matches(String filter, String serverId) {
        return filter == null || filter.equals(EVERY_SERVER) || filter.equals(serverId);
    }
}
