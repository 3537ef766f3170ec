package analytics.http2;

import analytics.http2.hpack.HeaderField;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One stream of a connection: its §5.1 state, the request being received on it, and the
 * response waiting to be sent. Three threads touch it - the connection's reader, the
 * handler's virtual thread and the writer - so each field says who owns it.
 *
 * A stream counts as "live" from its HEADERS until it is closed AND its handler has
 * returned. That second condition is the rapid-reset defence (CVE-2023-44487): a client
 * that opens and resets streams in a loop finds them still counted against
 * SETTINGS_MAX_CONCURRENT_STREAMS while our handlers run, and is refused.
 *
 * Pattern: state machine (StreamState) behind synchronized transitions; fields grouped by
 *          the one thread that owns them.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §5.1, §5.1.2, §6.9
 * Not here: which frames are allowed when (Http2Connection), sending (FrameWriter).
 * Threads: the state methods are synchronized; the other fields are owned as marked.
 */
final class Stream {

    final int id;
    private final AtomicInteger liveStreams;

    // --- shared by every thread: guarded by this ------------------------------------------
    private StreamState state = StreamState.IDLE;
    /** We reset (or ignored) it: frames still in flight from the client are dropped (§5.1). */
    private boolean resetByUs;
    private boolean resetByPeer;
    private boolean handlerRunning;
    private boolean retired = true; // becomes false when the stream is counted as live

    // --- the reader thread's ---------------------------------------------------------------
    RequestFields request;
    RequestBody body;
    /** Bytes the client may still send on this stream before our next WINDOW_UPDATE. */
    int receiveWindow;
    /** Bytes received since our last WINDOW_UPDATE for this stream. */
    int unacknowledgedBytes;
    boolean dispatched;

    // --- the writer's: guarded by FrameWriter's lock ---------------------------------------
    /** May go negative when the client lowers SETTINGS_INITIAL_WINDOW_SIZE (§6.9.2). */
    long sendWindow;
    List<HeaderField> responseFields;
    byte[] responseBody;
    int responseBytesReserved;

    Stream(int id, AtomicInteger liveStreams) {
        this.id = id;
        this.liveStreams = liveStreams;
    }

    /** §5.1 idle -> open or half-closed (remote); the stream now counts as live. */
    synchronized void open(boolean endStream) {
        state = state.onReceiveHeaders(endStream);
        retired = false;
        liveStreams.incrementAndGet();
    }

    /** A stream that is never opened: refused, or above a GOAWAY's last stream id. */
    synchronized void refuse() {
        state = StreamState.CLOSED;
        resetByUs = true;
    }

    /**
     * The client's END_STREAM; false when it is to be ignored because we reset the stream
     * meanwhile. The writer may do that between the reader's look at the state and this call
     * (an early 413 or 431: END_STREAM out, then RST_STREAM NO_ERROR), so the check and the
     * arrow are one synchronized step, as in sendEndStream.
     */
    synchronized boolean receiveEndStream() {
        if (resetByUs) {
            return false; // §5.1 closed: frames in flight after our RST_STREAM are ignored
        }
        state = state.onReceiveEndStream();
        retireIfDone();
        return true;
    }

    /** Our END_STREAM went into the write buffer; returns the state it left the stream in. */
    synchronized StreamState sendEndStream() {
        if (state == StreamState.CLOSED) {
            return state; // a reset raced our last frame, and won
        }
        state = state.onSendEndStream();
        retireIfDone();
        return state;
    }

    synchronized void resetByUs() {
        state = state.onReset();
        resetByUs = true;
        retireIfDone();
    }

    synchronized void resetByPeer() {
        state = state.onReset();
        resetByPeer = true;
        retireIfDone();
    }

    synchronized void handlerStarted() {
        handlerRunning = true;
    }

    synchronized void handlerFinished() {
        handlerRunning = false;
        retireIfDone();
    }

    /**
     * What a frame from the client meets, read in one look: reading the state and the reset
     * flags in two calls would let the writer close the stream in between.
     */
    synchronized Arrival arrival() {
        return new Arrival(state, resetByUs, resetByPeer);
    }

    /** The stream as a frame from the client finds it; see arrival(). */
    record Arrival(StreamState state, boolean resetByUs, boolean resetByPeer) {
    }

    synchronized StreamState state() {
        return state;
    }

    synchronized boolean isClosed() {
        return state == StreamState.CLOSED;
    }

    synchronized boolean wasResetByUs() {
        return resetByUs;
    }

    private void retireIfDone() {
        if (!retired && state == StreamState.CLOSED && !handlerRunning) {
            retired = true;
            liveStreams.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "stream " + id;
    }
}
