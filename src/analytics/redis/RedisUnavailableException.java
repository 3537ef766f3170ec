package analytics.redis;

/**
 * Redis could not take the write (or answer the ping) in time: unreachable, the connection
 * lost mid-round-trip, the ingest queue full, or Redis refusing the command. The message
 * is the reason a client sees in the 503 body and GET /healthz.
 *
 * Pattern: one exception for "try again later", mapped to one status (503 + Retry-After).
 * Lesson:  lessons/11-group-commit-into-redis-streams.md
 * Not here: the HTTP answer (IngestResponses).
 * Threads: immutable once thrown; safe to complete many futures with one instance.
 */
public final class RedisUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public RedisUnavailableException(String reason) {
        super(reason);
    }

    /** The reason in the words of the deepest cause: "Connection refused", "Read timed out". */
    public static String reasonOf(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // Jedis reports a failed connect as "Failed to connect to any host ..." and keeps the
        // socket's own error (the one a person can act on) as a suppressed exception.
        if (root.getSuppressed().length > 0) {
            return reasonOf(root.getSuppressed()[0]);
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
