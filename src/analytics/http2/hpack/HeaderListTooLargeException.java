package analytics.http2.hpack;

/**
 * A header block whose decoded list is larger than we accept. Unlike {@link HpackException}
 * the whole block was still decoded, so the dynamic table is in step with the peer's and
 * the connection can go on: only the one request is refused.
 *
 * Pattern: a refusal that leaves shared state intact, kept apart from a broken context.
 * Lesson:  lessons/17-http2-on-the-wire.md
 * Spec:    RFC 9113 §6.5.2 (SETTINGS_MAX_HEADER_LIST_SIZE), §8.1; RFC 6585 §5 (431)
 * Not here: the answer (RST_STREAM or a 431 response); the stream layer chooses it.
 */
public final class HeaderListTooLargeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long headerListSize;
    private final int limit;

    HeaderListTooLargeException(long headerListSize, int limit) {
        super("header list of " + headerListSize + " octets is over the limit of " + limit
                + " (name + value + 32 per field, RFC 9113 §6.5.2)");
        this.headerListSize = headerListSize;
        this.limit = limit;
    }

    /** The size of the whole decoded list, each field counted as name + value + 32 octets. */
    public long headerListSize() {
        return headerListSize;
    }

    /** The limit it exceeded: our SETTINGS_MAX_HEADER_LIST_SIZE. */
    public int limit() {
        return limit;
    }
}
