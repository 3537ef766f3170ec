package analytics.http2;

import analytics.http.LingeringClose;
import analytics.http.Protocol;
import analytics.http.Request;
import analytics.http.Response;
import analytics.http2.frame.ContinuationFrame;
import analytics.http2.frame.DataFrame;
import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.Frame;
import analytics.http2.frame.FrameDecoder;
import analytics.http2.frame.GoAwayFrame;
import analytics.http2.frame.HeadersFrame;
import analytics.http2.frame.Http2Exception;
import analytics.http2.frame.PingFrame;
import analytics.http2.frame.PriorityFrame;
import analytics.http2.frame.PushPromiseFrame;
import analytics.http2.frame.RstStreamFrame;
import analytics.http2.frame.Setting;
import analytics.http2.frame.SettingsFrame;
import analytics.http2.frame.UnknownFrame;
import analytics.http2.frame.WindowUpdateFrame;
import analytics.http2.hpack.HeaderField;
import analytics.http2.hpack.HeaderListTooLargeException;
import analytics.http2.hpack.HpackDecoder;
import analytics.http2.hpack.HpackException;
import analytics.log.Log;
import analytics.log.Untrusted;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One HTTP/2 connection, from the client preface to the last frame: reads frames, applies
 * the protocol's rules between them, turns each stream's request into an
 * analytics.http.Request, runs the Handler for it on a virtual thread of its own and hands
 * the Response to the connection's one FrameWriter.
 *
 * Errors follow §5.4: a broken rule that spoils one stream resets it (RST_STREAM) and the
 * connection goes on; one that spoils the connection (HPACK out of step, a frame out of
 * place, a flood) ends it with GOAWAY naming the last stream we took and the reason.
 *
 * Pattern: connection = reader loop + rules; the codec (frame/, hpack/) checks single
 *          frames, this class checks frames against each other and against stream states.
 * Lesson:  lessons/17-http2-on-the-wire.md
 * Spec:    RFC 9113 §3.4, §4.3, §5.1, §5.4, §6, §6.9, §8.1, §10.5; RFC 7540 §3.2
 * Not here: bytes of frames (FrameDecoder), sending (FrameWriter), HTTP/1.1 and the
 *           upgrade request (Http2Server), request field rules (RequestFields).
 * Threads: run() is the reader thread; handlers run on their own virtual threads; shutdown,
 *          close and checkDeadlines come from the server's threads and are safe.
 */
final class Http2Connection {

    /** Our SETTINGS_MAX_FRAME_SIZE: the initial 16,384, never raised - small JSON needs no more. */
    static final int MAX_FRAME_SIZE = (int) Setting.MAX_FRAME_SIZE.initialValue();
    /** One read fills this; it holds four whole frames, so one read() often brings many. */
    static final int READ_BUFFER_BYTES = 64 * 1024;
    /** A debug line shows this much of a request's header fields, escaped (analytics.log.Untrusted). */
    private static final int DEBUG_FIELDS_CHARS = 1024;
    /** Our SETTINGS_HEADER_TABLE_SIZE for the client's HPACK encoder, left at the initial 4,096. */
    static final int HEADER_TABLE_SIZE = (int) Setting.HEADER_TABLE_SIZE.initialValue();
    /**
     * A header block (HPACK bytes) may be this many times the header list limit: a list just
     * over the limit is still decoded and answered 431; a block far over it is a flood.
     */
    static final int HEADER_BLOCK_FACTOR = 2;
    /** The window over which resets and empty frames are counted. */
    static final Duration FLOOD_WINDOW = Duration.ofSeconds(1);
    /** Rapid reset (CVE-2023-44487): resets per window, at least this, else twice the stream limit. */
    static final int MIN_RESETS_PER_WINDOW = 100;
    /** Empty DATA / CONTINUATION frames that end nothing (CVE-2019-9518) per window. */
    static final int MAX_EMPTY_FRAMES_PER_WINDOW = 100;
    /** After a connection error, how long to read and drop what still arrives before closing. */
    static final Duration LINGER = LingeringClose.LINGER;
    /** GOAWAY debug data is one line for a human reading a capture. */
    static final int MAX_DEBUG_BYTES = 200;

    /** What an upgraded connection starts with: the HTTP/1.1 request, now stream 1. */
    record Upgrade(Request request, List<SettingsFrame.Entry> clientSettings) {
    }

    private static final Log LOG = Log.get(Http2Connection.class);
    private static final AtomicLong IDS = new AtomicLong();
    /** Unnamed: numbering a name per request showed up at 3% of the CPU in a profile. */
    private static final ThreadFactory HANDLER_THREADS = Thread.ofVirtual().factory();
    private static final byte[] NO_BODY = new byte[0];

    private final long id = IDS.incrementAndGet();
    private final Socket socket;
    private final InputStream in;
    private final Http2Server server;
    private final Http2Server.Limits limits;
    private final Protocol protocol;
    private final Upgrade upgrade;
    private final FrameDecoder decoder = new FrameDecoder(MAX_FRAME_SIZE);
    private final HpackDecoder hpack;
    private final FrameWriter writer;
    private final StreamTable streams;
    /** Streams open, or closed but with a handler still running (see Stream). */
    private final AtomicInteger liveStreams = new AtomicInteger();
    private final AtomicInteger handlersRunning = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final CountDownLatch readerEnded = new CountDownLatch(1);
    private final long startedNanos = System.nanoTime();

    // --- the reader thread's ----------------------------------------------------------------
    private final RateLimit resets;
    private final RateLimit emptyFrames;
    private final int sweepThreshold;
    private int highestStreamId;
    private HeaderBlock pendingBlock;
    private final ReceiveWindows windows = new ReceiveWindows();

    // --- read by the server's timer -----------------------------------------------------------
    private volatile boolean settingsReceived;
    /** When the pending header block began; 0 while none is pending. */
    private volatile long headerBlockStartedNanos;
    /** The last time a request moved forward: HEADERS, DATA, WINDOW_UPDATE, a handler's answer. */
    private volatile long lastProgressNanos = startedNanos;

    // --- guarded by this: the GOAWAY's last stream id must match the streams we took ----------
    private int lastAcceptedStreamId;
    private boolean goingAway;

    Http2Connection(Socket socket, InputStream in, Http2Server server, Protocol protocol, Upgrade upgrade)
            throws IOException {
        this.socket = socket;
        this.in = in;
        this.server = server;
        this.limits = server.limits();
        this.protocol = protocol;
        this.upgrade = upgrade;
        this.hpack = new HpackDecoder(HEADER_TABLE_SIZE, limits.maxHeaderListBytes());
        this.writer = new FrameWriter(id, socket);
        this.streams = new StreamTable(limits.maxConcurrentStreams());
        int maxResets = Math.max(MIN_RESETS_PER_WINDOW, 2 * limits.maxConcurrentStreams());
        this.resets = new RateLimit(maxResets, FLOOD_WINDOW);
        this.emptyFrames = new RateLimit(MAX_EMPTY_FRAMES_PER_WINDOW, FLOOD_WINDOW);
        this.sweepThreshold = 2 * limits.maxConcurrentStreams() + 16;
        if (upgrade != null) {
            // RFC 7540 §3.2: the upgrade request is stream 1, taken and live from the start,
            // so a shutdown racing the hand-off names it in its GOAWAY and waits for it.
            Stream stream = new Stream(1, liveStreams);
            streams.put(stream);
            highestStreamId = 1;
            accept(1);
            stream.open(true);
        }
    }

    long id() {
        return id;
    }

    /** The connection's whole life on the calling (virtual) thread. */
    void run() {
        writer.start();
        // §3.4: the server preface is a SETTINGS frame, our first frame on the connection.
        writer.offerControl(new SettingsFrame(false, List.of(
                new SettingsFrame.Entry(Setting.MAX_CONCURRENT_STREAMS, limits.maxConcurrentStreams()),
                new SettingsFrame.Entry(Setting.MAX_HEADER_LIST_SIZE, limits.maxHeaderListBytes()))));
        writer.offerControl(ReceiveWindows.opening());
        try {
            if (upgrade != null) {
                startUpgradedStream();
            }
            ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
            readPreface(buffer);
            readFrames(buffer);
            LOG.debug("peer closed the connection", "connection", id);
        } catch (Http2Exception e) {
            LOG.debug("connection error", "connection", id, "code", e.errorCode(),
                    "reason", Untrusted.text(e.getMessage(), Untrusted.MAX_REASON_CHARS));
            sendFinalGoAway(e.errorCode(), e.getMessage());
            linger();
        } catch (IOException e) {
            LOG.debug("connection ended", "connection", id, "error", String.valueOf(e));
        } catch (RuntimeException bug) {
            // A broken rule of our own, not the peer's: still tell the peer, so that it
            // retries its other streams instead of finding the socket simply closed.
            LOG.error("bug: connection failed", bug, "connection", id);
            sendFinalGoAway(ErrorCode.INTERNAL_ERROR, "internal error");
            linger();
        } finally {
            terminate();
            readerEnded.countDown();
        }
    }

    // --- reading ------------------------------------------------------------------------------

    /** §3.4: the 24 bytes of the client preface, then (checked in onFrame) a SETTINGS frame. */
    private void readPreface(ByteBuffer buffer) throws IOException, Http2Exception {
        byte[] preface = ConnectionPreface.CLIENT_PREFACE;
        while (buffer.position() < preface.length) {
            int n = in.read(buffer.array(), buffer.position(), buffer.remaining());
            if (n < 0) {
                throw new EOFException("closed before the connection preface");
            }
            buffer.position(buffer.position() + n);
        }
        if (!Arrays.equals(buffer.array(), 0, preface.length, preface, 0, preface.length)) {
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, "invalid connection preface");
        }
        buffer.flip().position(preface.length);
        buffer.compact();
    }

    /** Reads into the one buffer, takes every whole frame out of it, keeps the rest. */
    private void readFrames(ByteBuffer buffer) throws IOException, Http2Exception {
        while (true) {
            buffer.flip();
            decodeAll(buffer);
            buffer.compact();
            int n = in.read(buffer.array(), buffer.position(), buffer.remaining());
            if (n < 0) {
                return;
            }
            buffer.position(buffer.position() + n);
        }
    }

    private void decodeAll(ByteBuffer buffer) throws Http2Exception {
        while (true) {
            try {
                Frame frame = decoder.decode(buffer);
                if (frame == null) {
                    return;
                }
                if (LOG.isEnabled(Log.Level.DEBUG)) {
                    LOG.debug("frame in", "connection", id, "frame", frame.toString());
                }
                onFrame(frame);
            } catch (Http2Exception e) {
                if (e.isConnectionError()) {
                    throw e;
                }
                resetStream(e.streamId(), e.errorCode(), e.getMessage());
            }
        }
    }

    private void onFrame(Frame frame) throws Http2Exception {
        if (!settingsReceived) {
            if (!(frame instanceof SettingsFrame settings) || settings.ack()) {
                throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                        "the preface must be followed by SETTINGS, not " + frame);
            }
            settingsReceived = true;
        }
        if (pendingBlock != null && !(frame instanceof ContinuationFrame continuation
                && continuation.streamId() == pendingBlock.streamId)) {
            // §6.10: nothing may come between the fragments of a header block.
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                    "expected CONTINUATION of stream " + pendingBlock.streamId + ", got " + frame);
        }
        switch (frame) {
            case DataFrame data -> onData(data);
            case HeadersFrame headers -> onHeaders(headers);
            case ContinuationFrame continuation -> onContinuation(continuation);
            case PriorityFrame priority -> { } // §5.3.2: deprecated; parsed, checked, ignored
            case RstStreamFrame reset -> onRstStream(reset);
            case SettingsFrame settings -> onSettings(settings);
            case PushPromiseFrame push -> throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                    "a client cannot push (§8.4)");
            case PingFrame ping -> onPing(ping);
            case GoAwayFrame goAway ->
                    LOG.debug("peer is going away", "connection", id, "frame", goAway.toString());
            case WindowUpdateFrame update -> onWindowUpdate(update);
            case UnknownFrame unknown -> { } // §5.5: extension frames we did not negotiate are ignored
        }
    }

    /** §5.1.1: a stream the client has not opened yet. Even ids are ours, and we open none. */
    private boolean isIdle(int streamId) {
        return (streamId & 1) == 0 || streamId > highestStreamId;
    }

    // --- HEADERS and CONTINUATION ----------------------------------------------------------

    private void onHeaders(HeadersFrame frame) throws Http2Exception {
        int streamId = frame.streamId();
        boolean opening = streams.get(streamId) == null;
        if (opening) {
            if ((streamId & 1) == 0) {
                throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                        "stream " + streamId + " is even; a client opens odd streams (§5.1.1)");
            }
            if (streamId <= highestStreamId) {
                throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                        "stream " + streamId + " is not above the last one opened, " + highestStreamId
                                + " (§5.1.1)");
            }
            highestStreamId = streamId;
        }
        if (frame.endHeaders()) {
            onHeaderBlock(streamId, opening, frame.endStream(), frame.dependency(),
                    ByteBuffer.wrap(frame.fragment()));
            return;
        }
        if (frame.fragment().length == 0) {
            countEmptyFrame();
        }
        pendingBlock = new HeaderBlock(frame, opening, HEADER_BLOCK_FACTOR * limits.maxHeaderListBytes());
        headerBlockStartedNanos = System.nanoTime();
    }

    private void onContinuation(ContinuationFrame frame) throws Http2Exception {
        HeaderBlock block = pendingBlock;
        if (block == null) {
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                    "CONTINUATION on stream " + frame.streamId() + " with no header block in progress");
        }
        if (frame.fragment().length == 0 && !frame.endHeaders()) {
            countEmptyFrame();
        }
        block.append(frame.fragment());
        if (frame.endHeaders()) {
            pendingBlock = null;
            headerBlockStartedNanos = 0;
            onHeaderBlock(block.streamId, block.opensStream, block.endStream, block.dependency,
                    block.bytes());
        }
    }

    /**
     * A whole header block. It is decoded first, whatever becomes of its stream: HPACK is
     * one state for the whole connection (§4.3), and a skipped block would desynchronise it.
     */
    private void onHeaderBlock(int streamId, boolean opening, boolean endStream, int dependency,
                               ByteBuffer block) throws Http2Exception {
        List<HeaderField> fields;
        try {
            fields = hpack.decode(block);
        } catch (HpackException e) {
            throw Http2Exception.connectionError(ErrorCode.COMPRESSION_ERROR, e.getMessage());
        } catch (HeaderListTooLargeException e) {
            fields = null; // consumed in full: the table is in step, only this stream suffers
        }
        lastProgressNanos = System.nanoTime();
        if (LOG.isEnabled(Log.Level.DEBUG)) {
            LOG.debug("header block", "connection", id, "stream", streamId,
                    "fields", fields == null ? "(over the header list limit)"
                            : Untrusted.text(fields.toString(), DEBUG_FIELDS_CHARS));
        }
        if (opening) {
            openStream(streamId, endStream, dependency, fields);
        } else {
            continueStream(streams.get(streamId), endStream, fields);
        }
    }

    /** §5.1 idle -> open: a new request, if we take it. */
    private void openStream(int streamId, boolean endStream, int dependency, List<HeaderField> fields)
            throws Http2Exception {
        if (streams.size() >= sweepThreshold) {
            // Closed streams are remembered a while, so that frames still in flight on them
            // get the right answer; this forgets them in bulk once they pile up.
            streams.removeIf(Stream::isClosed);
        }
        Stream stream = new Stream(streamId, liveStreams);
        streams.put(stream);
        // The limit before accept(): a refused stream is one we never act on, so it must not
        // become the last stream id of a GOAWAY - not even the one its refusal may trip (§6.8).
        if (liveStreams.get() >= limits.maxConcurrentStreams()) {
            stream.refuse(); // §5.1.2: REFUSED_STREAM tells the client nothing was processed
            countReset();
            sendControl(new RstStreamFrame(streamId, ErrorCode.REFUSED_STREAM));
            return;
        }
        if (!accept(streamId)) {
            stream.refuse(); // §6.8: above our GOAWAY's last stream id; the client will retry elsewhere
            return;
        }
        stream.open(endStream);
        windows.open(stream);
        writer.register(stream);
        if (dependency == streamId) {
            throw Http2Exception.streamError(ErrorCode.PROTOCOL_ERROR, streamId,
                    "stream " + streamId + " cannot depend on itself (§5.3.1)");
        }
        if (fields == null) {
            // Over SETTINGS_MAX_HEADER_LIST_SIZE: answered here, without the handler.
            stream.dispatched = true;
            Response tooLarge = Response.error(431);
            writer.respond(stream, ResponseFields.of(tooLarge), tooLarge.body());
            return;
        }
        stream.request = RequestFields.parse(streamId, fields);
        stream.body = new RequestBody(streamId, limits.maxBodyBytes(), stream.request.contentLength());
        if (endStream) {
            stream.body.complete();
            dispatch(stream);
            return;
        }
        RequestFields head = stream.request;
        Response early = server.beforeBody(
                Request.of(protocol, head.method(), head.path(), head.headers()));
        if (early != null) {
            answerEarly(stream, early); // refused on its head (401, 503): DATA discarded as it comes
        } else if (stream.body.tooLarge()) {
            dispatch(stream); // content-length over the limit: answer now, discard the body as it comes
        }
    }

    /** Answered without the handler, before the body: on this thread, which must not block. */
    private void answerEarly(Stream stream, Response response) {
        stream.dispatched = true;
        stream.body = null;
        boolean noBody = stream.request.method().equals("HEAD")
                || !ResponseFields.hasBody(response.status());
        writer.respond(stream, ResponseFields.of(response), noBody ? NO_BODY : response.body());
    }

    /** A second header block on a stream: trailers (§8.1), or an error of its state (§5.1). */
    private void continueStream(Stream stream, boolean endStream, List<HeaderField> fields)
            throws Http2Exception {
        Stream.Arrival arrival = stream.arrival();
        if (arrival.resetByUs()) {
            return; // §5.1 closed: frames in flight after our RST_STREAM are ignored
        }
        switch (arrival.state()) {
            case OPEN, HALF_CLOSED_LOCAL -> {
                if (!endStream) {
                    throw Http2Exception.streamError(ErrorCode.PROTOCOL_ERROR, stream.id,
                            "a second HEADERS on a stream must be trailers, with END_STREAM (§8.1)");
                }
                if (fields != null) { // trailers over the list limit: dropped with the rest of them
                    RequestFields.checkTrailers(stream.id, fields);
                }
                lastProgressNanos = System.nanoTime();
                onEndStream(stream);
            }
            case HALF_CLOSED_REMOTE -> throw Http2Exception.streamError(ErrorCode.STREAM_CLOSED, stream.id,
                    "HEADERS on half-closed (remote) " + stream);
            case CLOSED -> {
                if (arrival.resetByPeer()) {
                    throw Http2Exception.streamError(ErrorCode.STREAM_CLOSED, stream.id,
                            "HEADERS after RST_STREAM on " + stream);
                }
                throw Http2Exception.connectionError(ErrorCode.STREAM_CLOSED, "HEADERS on closed " + stream);
            }
            case IDLE, RESERVED_LOCAL, RESERVED_REMOTE -> throw new IllegalStateException(
                    stream + " is in the table but " + arrival.state());
        }
    }

    // --- DATA ---------------------------------------------------------------------------------

    private void onData(DataFrame frame) throws Http2Exception {
        int length = frame.flowControlledLength();
        // §6.9: every DATA counts against the connection window, whatever its stream's fate.
        sendControlIfAny(windows.onConnectionData(length));
        int streamId = frame.streamId();
        if (isIdle(streamId)) {
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                    "DATA on idle stream " + streamId);
        }
        Stream stream = streams.get(streamId);
        if (stream == null) {
            throw Http2Exception.streamError(ErrorCode.STREAM_CLOSED, streamId,
                    "DATA on closed stream " + streamId);
        }
        Stream.Arrival arrival = stream.arrival();
        if (arrival.resetByUs()) {
            return; // §5.1 closed: in flight when we reset it; counted above, otherwise ignored
        }
        if (!arrival.state().isReceiving()) {
            throw Http2Exception.streamError(ErrorCode.STREAM_CLOSED, streamId,
                    "DATA on " + arrival.state() + " " + stream + " (§6.1)");
        }
        windows.onStreamData(stream, length);
        if (frame.data().length == 0 && !frame.endStream()) {
            countEmptyFrame();
        }
        lastProgressNanos = System.nanoTime();
        if (!stream.dispatched) {
            stream.body.append(frame.data());
            if (stream.body.tooLarge()) {
                dispatch(stream); // the handler answers 413 now; the rest is discarded as it comes
            }
        }
        if (frame.endStream()) {
            onEndStream(stream);
        } else if (!stream.dispatched) {
            // Replenish only while we keep the body: a stream answered early is left to stall
            // until our RST_STREAM tells the client to stop.
            sendControlIfAny(windows.kept(stream, length));
        }
    }

    private void onEndStream(Stream stream) throws Http2Exception {
        if (!stream.receiveEndStream()) {
            return; // the writer reset it since we looked: answered early, and done
        }
        if (!stream.dispatched) {
            stream.body.complete();
            dispatch(stream);
        }
    }

    // --- the application ------------------------------------------------------------------

    /** The request is whole (or known to be too large): run the handler for it. */
    private void dispatch(Stream stream) {
        stream.dispatched = true;
        RequestFields fields = stream.request;
        Request request = stream.body.tooLarge()
                ? Request.bodyTooLarge(protocol, fields.method(), fields.path(), fields.headers())
                : Request.of(protocol, fields.method(), fields.path(), fields.headers(),
                        stream.body.toArray());
        stream.body = null;
        startHandler(stream, request);
    }

    private void startHandler(Stream stream, Request request) {
        stream.handlerStarted();
        handlersRunning.incrementAndGet();
        HANDLER_THREADS.newThread(() -> serve(stream, request)).start();
    }

    /** On the handler's own virtual thread: it may block as long as it likes. */
    private void serve(Stream stream, Request request) {
        List<HeaderField> fields;
        byte[] body;
        try {
            Response response = server.handle(request);
            boolean noBody = request.method().equals("HEAD") || !ResponseFields.hasBody(response.status());
            fields = ResponseFields.of(response);
            body = noBody ? NO_BODY : response.body();
        } finally {
            // Before respond(): once the writer sends END_STREAM the client may open the next
            // stream, and a handler still counted then would refuse it at exactly the limit.
            handlersRunning.decrementAndGet();
            lastProgressNanos = System.nanoTime();
            stream.handlerFinished();
        }
        writer.respond(stream, fields, body);
    }

    /** RFC 7540 §3.2: stream 1, opened half-closed (remote) by the constructor, gets its handler. */
    private void startUpgradedStream() throws Http2Exception {
        writer.applySettings(new SettingsFrame(false, upgrade.clientSettings()), streams, false);
        Stream stream = streams.get(1);
        writer.register(stream);
        stream.dispatched = true;
        startHandler(stream, upgrade.request());
    }

    // --- the other frames ----------------------------------------------------------------

    private void onRstStream(RstStreamFrame frame) throws Http2Exception {
        int streamId = frame.streamId();
        if (isIdle(streamId)) {
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                    "RST_STREAM on idle stream " + streamId);
        }
        countReset();
        Stream stream = streams.get(streamId);
        if (stream != null && !stream.isClosed()) {
            stream.resetByPeer(); // its handler runs on, and the stream counts as live until it ends
            writer.forget(stream);
        }
    }

    private void onSettings(SettingsFrame frame) throws Http2Exception {
        if (frame.ack()) {
            return; // the client applied ours; nothing waits for it
        }
        if (!writer.applySettings(frame, streams, true)) {
            throw Http2Exception.connectionError(ErrorCode.ENHANCE_YOUR_CALM,
                    "more than " + FrameWriter.MAX_QUEUED_CONTROL_FRAMES
                            + " frames unsent (SETTINGS flood)");
        }
    }

    private void onPing(PingFrame frame) throws Http2Exception {
        if (!frame.ack()) {
            sendControl(new PingFrame(true, frame.opaqueData())); // §6.7: the same eight bytes back
        }
    }

    private void onWindowUpdate(WindowUpdateFrame frame) throws Http2Exception {
        int streamId = frame.streamId();
        if (streamId == 0) {
            writer.connectionWindowUpdate(frame.increment());
        } else {
            if (isIdle(streamId)) {
                throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                        "WINDOW_UPDATE on idle stream " + streamId);
            }
            Stream stream = streams.get(streamId);
            if (stream != null && !stream.isClosed()) { // §6.9: allowed on a closed stream, and ignored
                writer.streamWindowUpdate(stream, frame.increment());
            }
        }
        lastProgressNanos = System.nanoTime();
    }

    // --- errors, floods, deadlines -----------------------------------------------------------

    /** §5.4.2: RST_STREAM, and the stream is closed for good. */
    private void resetStream(int streamId, ErrorCode code, String reason) throws Http2Exception {
        LOG.debug("stream error", "connection", id, "stream", streamId, "code", code,
                "reason", Untrusted.text(reason, Untrusted.MAX_REASON_CHARS));
        Stream stream = streams.get(streamId);
        if (stream != null) {
            if (stream.wasResetByUs()) {
                return;
            }
            stream.resetByUs();
            writer.forget(stream);
        }
        countReset();
        sendControl(new RstStreamFrame(streamId, code));
    }

    private void sendControl(Frame frame) throws Http2Exception {
        if (!writer.offerControl(frame)) {
            throw Http2Exception.connectionError(ErrorCode.ENHANCE_YOUR_CALM,
                    "more than " + FrameWriter.MAX_QUEUED_CONTROL_FRAMES
                            + " frames unsent; the peer is not reading");
        }
    }

    /** A WINDOW_UPDATE when ReceiveWindows says one is due; null: nothing to send. */
    private void sendControlIfAny(Frame frame) throws Http2Exception {
        if (frame != null) {
            sendControl(frame);
        }
    }

    private void countReset() throws Http2Exception {
        if (!resets.allow(System.nanoTime())) {
            throw Http2Exception.connectionError(ErrorCode.ENHANCE_YOUR_CALM,
                    "too many stream resets in " + FLOOD_WINDOW.toMillis() + " ms (rapid reset)");
        }
    }

    private void countEmptyFrame() throws Http2Exception {
        if (!emptyFrames.allow(System.nanoTime())) {
            throw Http2Exception.connectionError(ErrorCode.ENHANCE_YOUR_CALM,
                    "more than " + MAX_EMPTY_FRAMES_PER_WINDOW + " empty frames in "
                            + FLOOD_WINDOW.toMillis() + " ms");
        }
    }

    /**
     * Called by the server's timer. A client that has not finished its preface, or left a
     * header block half-sent, for the handshake timeout is dropped (slowloris); one with no
     * request moving and no handler running for the idle timeout gets GOAWAY.
     */
    void checkDeadlines(long nowNanos) {
        if (!settingsReceived && nowNanos - startedNanos > limits.handshakeTimeout().toNanos()) {
            LOG.debug("no preface in time; closing", "connection", id);
            terminate();
            return;
        }
        long blockStarted = headerBlockStartedNanos;
        if (blockStarted != 0 && nowNanos - blockStarted > limits.handshakeTimeout().toNanos()) {
            goAwayAndClose(ErrorCode.ENHANCE_YOUR_CALM, "header block unfinished after "
                    + limits.handshakeTimeout().toMillis() + " ms");
            return;
        }
        if (handlersRunning.get() == 0 && nowNanos - lastProgressNanos > limits.idleTimeout().toNanos()) {
            goAwayAndClose(ErrorCode.NO_ERROR, "idle for " + limits.idleTimeout().toMillis() + " ms");
        }
    }

    private void goAwayAndClose(ErrorCode code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        LOG.debug("closing", "connection", id, "code", code,
                "reason", Untrusted.text(reason, Untrusted.MAX_REASON_CHARS));
        queueFinalGoAway(code, reason);
        server.schedule(this::terminate, LINGER); // unless the client closes first, as it should
    }

    private void sendFinalGoAway(ErrorCode code, String reason) {
        closing.set(true);
        queueFinalGoAway(code, reason);
    }

    private void queueFinalGoAway(ErrorCode code, String reason) {
        byte[] debug = reason.getBytes(StandardCharsets.UTF_8);
        writer.goAwayAndStop(new GoAwayFrame(lastAcceptedStreamId(), code,
                Arrays.copyOf(debug, Math.min(debug.length, MAX_DEBUG_BYTES))));
    }

    /**
     * After a connection error: wait for our GOAWAY to leave, then read and drop what the
     * client still sends for a moment. Closing a socket with unread bytes makes TCP send a
     * reset, which can destroy the GOAWAY before the client has read it.
     */
    private void linger() {
        try {
            writer.awaitStopped(LINGER);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
        }
        LingeringClose.drain(socket, in);
    }

    // --- taking streams, and the server's shutdown ----------------------------------------

    private synchronized boolean accept(int streamId) {
        if (goingAway) {
            return false;
        }
        lastAcceptedStreamId = streamId;
        return true;
    }

    private synchronized int lastAcceptedStreamId() {
        return lastAcceptedStreamId;
    }

    /** Graceful shutdown, step 1 (§6.8): GOAWAY NO_ERROR; streams we took may finish. */
    void shutdown() {
        int last;
        synchronized (this) {
            if (goingAway) {
                return;
            }
            goingAway = true;
            last = lastAcceptedStreamId;
        }
        writer.offerControl(new GoAwayFrame(last, ErrorCode.NO_ERROR,
                "server shutting down".getBytes(StandardCharsets.US_ASCII)));
    }

    /** True when no stream is open and no handler runs: nothing in flight would be cut. */
    boolean isQuiet() {
        return liveStreams.get() == 0;
    }

    /**
     * Graceful shutdown, step 2: write what is queued, half-close, and give the client a
     * moment to close its side first - closing ours while its last frames are unread
     * would make TCP reset the connection, which can destroy the answers it has not read.
     */
    void close() {
        writer.finish();
        try {
            writer.awaitStopped(LINGER);
            readerEnded.await(LINGER.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        terminate();
    }

    /** Closes the socket, exactly once; the reader then fails out of its read and ends. */
    void terminate() {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        writer.stop();
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
        server.unregister(this);
    }
}
