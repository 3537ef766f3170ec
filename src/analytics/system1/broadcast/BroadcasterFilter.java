package analytics.system1.broadcast;

/**
 * A dashboard's subscription, kept as its connection's attachment: the one server it
 * follows, or null for all. A dashboard that never subscribed has no attachment and so
 * receives everything, as in the original.
 *
 * Pattern: per-connection state as an immutable attachment, replaced on each subscribe.
 * Lesson:  lessons/13-pub-sub-fan-out.md
 * Threads: immutable; written by the connection's reader, read by the subscriber thread.
 *
 * @param serverId the only server whose messages this dashboard wants; null for all
 */
record BroadcasterFilter(String serverId) {

    static final BroadcasterFilter ALL = new BroadcasterFilter(null);

    /** A null attachment (never subscribed) wants everything. */
    static boolean wants(Object attachment, String serverId) {
        return !(attachment instanceof BroadcasterFilter filter)
                || filter.serverId == null || filter.serverId.equals(serverId);
    }
}
