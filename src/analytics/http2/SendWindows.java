package analytics.http2;

import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.Http2Exception;
import analytics.http2.frame.Setting;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The sending side of HTTP/2 flow control (§6.9): how many bytes of DATA the peer will
 * take, on the connection and on each stream, and which response bodies are waiting for
 * room. DATA uses up both windows; WINDOW_UPDATE opens one; a new
 * SETTINGS_INITIAL_WINDOW_SIZE moves every stream's window by the difference, even below
 * zero (§6.9.2). A window past 2^31-1 is the peer's error (§6.9.1).
 *
 * Each batch of the writer asks {@link #reserve} what every waiting body may send now and
 * takes that much from both windows at once, so the bytes can be copied afterwards without
 * the lock. A body whose stream was reset meanwhile gives its reservation back.
 *
 * Pattern: credit-based flow control - the receiver grants credit, the sender spends it,
 *          and nothing is sent on credit not yet granted.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.9, §6.9.1, §6.9.2
 * Not here: the receiving side, our own WINDOW_UPDATEs (Http2Connection); writing the
 *           frames (FrameWriter).
 * Threads: none of its own; every method runs under its FrameWriter's lock.
 */
final class SendWindows {

    /** A slice of one response body that the windows allowed in this batch. */
    record Chunk(Stream stream, int offset, int length, boolean last) {
    }

    private long connectionWindow = Setting.INITIAL_WINDOW_SIZE.initialValue();
    /** Streams whose HEADERS are out and whose body is not all reserved yet, in arrival order. */
    private final List<Stream> waiting = new ArrayList<>();

    /** A response body to send as the windows allow; an empty one needs no room. */
    void await(Stream stream) {
        if (stream.responseBody.length > 0) {
            waiting.add(stream);
        }
    }

    /** The stream was reset: it sends nothing more. */
    void forget(Stream stream) {
        waiting.remove(stream);
    }

    /** Nothing more is sent at all (the connection failed). */
    void clear() {
        waiting.clear();
    }

    boolean nothingWaiting() {
        return waiting.isEmpty();
    }

    /** §6.9.1: WINDOW_UPDATE on stream 0; past 2^31-1 is a connection error. */
    void connectionUpdate(int increment) throws Http2Exception {
        long next = connectionWindow + increment;
        if (next > Setting.MAX_WINDOW_SIZE) {
            throw Http2Exception.connectionError(ErrorCode.FLOW_CONTROL_ERROR,
                    "connection window of " + next + " bytes is over 2^31-1");
        }
        connectionWindow = next;
    }

    /** §6.9.1: WINDOW_UPDATE on a stream; past 2^31-1 is a stream error. */
    void streamUpdate(Stream stream, int increment) throws Http2Exception {
        long next = stream.sendWindow + increment;
        if (next > Setting.MAX_WINDOW_SIZE) {
            throw Http2Exception.streamError(ErrorCode.FLOW_CONTROL_ERROR, stream.id,
                    "window of stream " + stream.id + " would be " + next + " bytes, over 2^31-1");
        }
        stream.sendWindow = next;
    }

    /**
     * §6.9.2: a new SETTINGS_INITIAL_WINDOW_SIZE moves every stream's window by
     * {@code delta}; an open stream's pushed past 2^31-1 is a connection error, and then no
     * window has moved.
     */
    void initialWindowChanged(long delta, Iterable<Stream> streams) throws Http2Exception {
        for (Stream stream : streams) {
            if (!stream.isClosed() && stream.sendWindow + delta > Setting.MAX_WINDOW_SIZE) {
                throw Http2Exception.connectionError(ErrorCode.FLOW_CONTROL_ERROR,
                        "a new SETTINGS_INITIAL_WINDOW_SIZE overflows the window of " + stream);
            }
        }
        for (Stream stream : streams) {
            stream.sendWindow += delta;
        }
    }

    /** Whether some waiting body may send a byte now: both its windows are open. */
    boolean canSend() {
        if (connectionWindow <= 0) {
            return false;
        }
        for (Stream stream : waiting) {
            if (stream.sendWindow > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes from both windows what each waiting body may send now, in arrival order, and
     * adds a chunk for each to {@code into}; a body reserved to its end stops waiting.
     */
    void reserve(List<Chunk> into) {
        for (Iterator<Stream> it = waiting.iterator(); it.hasNext(); ) {
            Stream stream = it.next();
            if (stream.isClosed()) {
                it.remove();
                continue;
            }
            int remaining = stream.responseBody.length - stream.responseBytesReserved;
            long allowed = Math.min(remaining, Math.min(stream.sendWindow, connectionWindow));
            if (allowed <= 0) {
                continue; // blocked until a WINDOW_UPDATE
            }
            stream.sendWindow -= allowed;
            connectionWindow -= allowed;
            boolean last = allowed == remaining;
            into.add(new Chunk(stream, stream.responseBytesReserved, (int) allowed, last));
            stream.responseBytesReserved += (int) allowed;
            if (last) {
                it.remove();
            }
        }
    }

    /** A reserved chunk that was not sent after all (its stream was reset meanwhile). */
    void giveBack(int bytes) {
        connectionWindow += bytes;
    }

    long connectionWindow() {
        return connectionWindow;
    }
}
