package analytics.loadtest;

import analytics.loadtest.measure.DueTime;
import analytics.http2.frame.ContinuationFrame;
import analytics.http2.frame.DataFrame;
import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.Frame;
import analytics.http2.frame.FrameDecoder;
import analytics.http2.frame.FrameEncoder;
import analytics.http2.frame.GoAwayFrame;
import analytics.http2.frame.HeadersFrame;
import analytics.http2.frame.Http2Exception;
import analytics.http2.frame.PingFrame;
import analytics.http2.frame.PriorityFrame;
import analytics.http2.frame.PushPromiseFrame;
import analytics.http2.frame.RstStreamFrame;
import analytics.http2.frame.Setting;
import analytics.http2.frame.Settings;
import analytics.http2.frame.SettingsFrame;
import analytics.http2.frame.UnknownFrame;
import analytics.http2.frame.WindowUpdateFrame;
import analytics.http2.hpack.HeaderField;
import analytics.http2.hpack.HeaderListTooLargeException;
import analytics.http2.hpack.HpackDecoder;
import analytics.http2.hpack.HpackEncoder;
import analytics.http2.hpack.HpackException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One cleartext HTTP/2 connection of HttpRateBench, with prior knowledge: the client preface
 * and SETTINGS, then each request on a stream of its own (HEADERS, then DATA with END_STREAM),
 * up to {@code streams} in flight - fewer if the server's SETTINGS_MAX_CONCURRENT_STREAMS
 * says so. A request whose time has come while every stream is busy waits for one, and the
 * wait counts in its latency, because PacedRequests measures from the due time.
 *
 * Pattern: the server's own codec from the client side (FrameEncoder/FrameDecoder, HPACK);
 *          multiplexing as a sender that opens streams and a reader that completes them.
 * Lesson:  lessons/18-http1-vs-http2-ingest.md
 * Spec:    RFC 9113 §3.4 (prior knowledge), §5.1 (streams), §6.5 (SETTINGS), §6.9 (flow
 *          control), §8.3.1 (request pseudo-headers); RFC 7541 (HPACK)
 * Not here: the h2c upgrade; a body longer than one DATA frame or than the server's initial
 *           stream window (refused with a message); coalescing several due requests into one
 *           write; a writer thread - the reader writes its few control frames itself.
 * Threads: a sender (the schedule) and a reader (frames in), both virtual. {@code lock} guards
 *          the streams and windows, {@code writeLock} the socket's output and the HPACK
 *          encoder; nobody takes writeLock while holding lock.
 */
final class Http2BenchConnection implements BenchConnection {

    /** §3.4: the client connection preface; our SETTINGS frame follows it. */
    static final byte[] CLIENT_PREFACE =
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Our settings: no server push (§8.4); everything else at the protocol's initial value. */
    private static final SettingsFrame OUR_SETTINGS =
            new SettingsFrame(false, List.of(new SettingsFrame.Entry(Setting.ENABLE_PUSH, 0)));
    /** §6.5.2 initial values we never change, so the server assumes them before our SETTINGS. */
    private static final int MAX_FRAME_SIZE = Settings.INITIAL.maxFrameSize();
    private static final int RECEIVE_WINDOW = Settings.INITIAL.initialWindowSize();
    private static final int HEADER_TABLE_SIZE = Settings.INITIAL.headerTableSize();
    /** Bounds on what the server may make us hold: one header block, one decoded field list. */
    private static final int MAX_HEADER_BLOCK = 64 * 1024;
    private static final int MAX_HEADER_LIST_SIZE = 64 * 1024;
    /** §5.1.1: client stream ids are odd and never reused; 2^31-1 is the last one. */
    private static final int MAX_STREAM_ID = Integer.MAX_VALUE;
    private static final int HANDSHAKE_TIMEOUT_MS = 5_000;

    private final Socket socket;
    private final InputStream input;
    private final OutputStream output;
    private final String authority;
    private final String path;
    private final int streams;

    // The reader's: frames in, header blocks in, receive windows.
    private final FrameDecoder frameDecoder = new FrameDecoder(MAX_FRAME_SIZE);
    private final ByteBuffer inBuffer =
            ByteBuffer.allocate(4 * (FrameDecoder.HEADER_LENGTH + MAX_FRAME_SIZE)).flip();
    private final HpackDecoder hpackDecoder =
            new HpackDecoder(HEADER_TABLE_SIZE, MAX_HEADER_LIST_SIZE);
    private final ByteArrayOutputStream pendingBlock = new ByteArrayOutputStream();
    private int pendingBlockStream; // 0: no header block waiting for its CONTINUATION
    private boolean pendingBlockEndsStream;
    private int receivedSinceWindowUpdate;

    // Under writeLock: the HPACK encoder's table must change in the order blocks leave.
    private final ReentrantLock writeLock = new ReentrantLock();
    private final HpackEncoder hpackEncoder = new HpackEncoder();
    private final ByteArrayOutputStream headerBlock = new ByteArrayOutputStream(256);

    // Under lock: the streams in flight and what limits opening more.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Integer, OpenStream> open = new HashMap<>();
    private volatile Settings peer = Settings.INITIAL;
    private long sendWindow = Settings.INITIAL.initialWindowSize(); // the connection's, §6.9.2
    private int nextStreamId = 1;
    private boolean goingAway;
    private boolean stopped;
    private PacedRequests requests; // set by start(), before either thread runs

    /** A request on the wire: when it was due, and its final status once HEADERS bring it. */
    private static final class OpenStream {
        final long due;
        int status; // written and read by the reader only

        OpenStream(long due) {
            this.due = due;
        }
    }

    private Http2BenchConnection(Socket socket, String authority, String path, int streams)
            throws IOException {
        this.socket = socket;
        this.input = socket.getInputStream();
        this.output = socket.getOutputStream();
        this.authority = authority;
        this.path = path;
        this.streams = streams;
    }

    /** Connects, sends the preface and our SETTINGS, and waits for the server's (§3.4). */
    static Http2BenchConnection connect(InetSocketAddress address, String path, int streams)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, HANDSHAKE_TIMEOUT_MS);
            String authority = address.getHostString() + ":" + address.getPort();
            Http2BenchConnection connection =
                    new Http2BenchConnection(socket, authority, path, streams);
            connection.handshake();
            return connection;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void handshake() throws IOException {
        byte[] settings = FrameEncoder.toBytes(OUR_SETTINGS);
        byte[] preface = new byte[CLIENT_PREFACE.length + settings.length];
        System.arraycopy(CLIENT_PREFACE, 0, preface, 0, CLIENT_PREFACE.length);
        System.arraycopy(settings, 0, preface, CLIENT_PREFACE.length, settings.length);
        output.write(preface);
        socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
        try {
            // §3.4: the server's preface is "a potentially empty SETTINGS frame".
            if (!(readFrame() instanceof SettingsFrame first) || first.ack()) {
                throw new IOException("the server's first frame is not SETTINGS (RFC 9113 §3.4)");
            }
            onSettings(first);
        } catch (Http2Exception e) {
            throw new IOException("no HTTP/2 server preface (is this an h2c port with prior"
                    + " knowledge?): " + e.getMessage(), e);
        } catch (SocketTimeoutException e) {
            throw new IOException("no SETTINGS from the server within " + HANDSHAKE_TIMEOUT_MS
                    + " ms", e);
        }
        socket.setSoTimeout(0);
    }

    @Override
    public Thread start(PacedRequests requests) {
        this.requests = requests;
        int port = socket.getLocalPort();
        Thread reader = Thread.ofVirtual().name("h2-bench-reader-" + port).start(this::readLoop);
        return Thread.ofVirtual().name("h2-bench-sender-" + port).start(() -> sendLoop(reader));
    }

    @Override
    public void close() {
        stop(null);
    }

    // --- the sender: one stream per due request ---------------------------------------------

    private void sendLoop(Thread reader) {
        long unsent = 0; // the first request not yet given a stream
        try {
            for (long due = requests.due(0); !requests.isOver(due); due = requests.due(unsent)) {
                DueTime.await(due);
                byte[] body = requests.body(unsent);
                int streamId = openStream(due, body.length);
                if (streamId == 0) {
                    break; // stopped, or the server said GOAWAY: the rest is abandoned below
                }
                unsent++;
                writeRequest(streamId, body);
            }
            if (awaitAllAnswered()) {
                write(FrameEncoder.toBytes(new GoAwayFrame(0, ErrorCode.NO_ERROR, new byte[0])));
            }
        } catch (IOException e) {
            stop("sending: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            requests.abandonFrom(unsent); // nothing when the schedule ran to its end
            stop(null);
            joinQuietly(reader);
        }
    }

    /**
     * Waits for a free stream and enough connection window for the body; registers the
     * stream before its first byte leaves, so its answer always finds it. Returns its id,
     * or 0 when this connection takes no more requests.
     */
    private int openStream(long due, int bodyLength) throws IOException, InterruptedException {
        lock.lock();
        try {
            while (!stopped && !goingAway && (sendWindow < bodyLength
                    || open.size() >= Math.min(streams, peer.maxConcurrentStreams()))) {
                changed.await();
            }
            if (stopped || goingAway || nextStreamId > MAX_STREAM_ID - 2) {
                return 0;
            }
            if (bodyLength > peer.initialWindowSize() || bodyLength > peer.maxFrameSize()) {
                throw new IOException("a body of " + bodyLength + " bytes does not fit the server's"
                        + " initial stream window " + peer.initialWindowSize() + " or frame size "
                        + peer.maxFrameSize() + "; this client sends each body in one DATA frame");
            }
            int streamId = nextStreamId;
            nextStreamId += 2;
            sendWindow -= bodyLength; // §6.9.1: DATA counts against the connection window too
            open.put(streamId, new OpenStream(due));
            return streamId;
        } finally {
            lock.unlock();
        }
    }

    /** §8.3.1 pseudo-headers, then the body: HEADERS + DATA(END_STREAM) in one write. */
    private void writeRequest(int streamId, byte[] body) throws IOException {
        List<HeaderField> fields = List.of(
                new HeaderField(":method", "POST"), new HeaderField(":scheme", "http"),
                new HeaderField(":path", path), new HeaderField(":authority", authority),
                new HeaderField("content-type", "application/json"),
                new HeaderField("content-length", Integer.toString(body.length)));
        writeLock.lock();
        try {
            headerBlock.reset();
            hpackEncoder.encode(fields, headerBlock);
            byte[] block = headerBlock.toByteArray();
            if (block.length > peer.maxFrameSize()) {
                throw new IOException("a header block of " + block.length
                        + " bytes needs CONTINUATION, which this client does not send");
            }
            ByteBuffer out = ByteBuffer.allocate(
                    2 * FrameDecoder.HEADER_LENGTH + block.length + body.length);
            FrameEncoder.writeHeaders(out, streamId, false, true, block, 0, block.length);
            FrameEncoder.writeData(out, streamId, true, body, 0, body.length);
            output.write(out.array(), 0, out.position());
        } finally {
            writeLock.unlock();
        }
    }

    /** True when every stream was answered; false when the connection stopped first. */
    private boolean awaitAllAnswered() throws InterruptedException {
        lock.lock();
        try {
            while (!stopped && !open.isEmpty()) {
                changed.await(); // bounded by HttpRateBench, which closes a connection that lingers
            }
            return !stopped;
        } finally {
            lock.unlock();
        }
    }

    // --- the reader: frames in ---------------------------------------------------------------

    private void readLoop() {
        try {
            for (;;) {
                Frame frame = readFrame();
                try {
                    handle(frame);
                } catch (Http2Exception e) {
                    if (e.isConnectionError()) {
                        throw e;
                    }
                    reset(e.streamId(), e.errorCode(), true); // §5.4.2: the connection lives on
                }
            }
        } catch (Http2Exception e) {
            goAway(e.errorCode(), e.getMessage());
        } catch (HpackException e) {
            goAway(ErrorCode.COMPRESSION_ERROR, e.getMessage()); // RFC 9113 §4.3
        } catch (IOException e) {
            stop(e.toString()); // quiet if we closed the socket ourselves
        } finally {
            stop("the reader ended"); // releases the sender whatever happened
        }
    }

    /** The next whole frame; blocks for more bytes while the decoder answers "need more". */
    private Frame readFrame() throws IOException, Http2Exception {
        for (Frame frame = frameDecoder.decode(inBuffer); ; frame = frameDecoder.decode(inBuffer)) {
            if (frame != null) {
                return frame;
            }
            inBuffer.compact(); // the buffer holds 9 + MAX_FRAME_SIZE, so a frame always fits
            int read = input.read(inBuffer.array(), inBuffer.position(), inBuffer.remaining());
            if (read < 0) {
                throw new EOFException("the server closed the connection");
            }
            inBuffer.position(inBuffer.position() + read).flip();
        }
    }

    private void handle(Frame frame) throws Http2Exception, HpackException, IOException {
        if (pendingBlockStream != 0 && !(frame instanceof ContinuationFrame)) {
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                    frame + " between HEADERS and its CONTINUATION (RFC 9113 §6.10)");
        }
        switch (frame) {
            case HeadersFrame headers -> {
                pendingBlock.reset();
                pendingBlock.writeBytes(headers.fragment());
                pendingBlockStream = headers.streamId();
                pendingBlockEndsStream = headers.endStream();
                if (headers.endHeaders()) {
                    onHeaderBlock();
                }
            }
            case ContinuationFrame continuation -> {
                if (continuation.streamId() != pendingBlockStream) {
                    throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                            continuation + " follows no HEADERS of its stream (RFC 9113 §6.10)");
                }
                if (pendingBlock.size() + continuation.fragment().length > MAX_HEADER_BLOCK) {
                    throw Http2Exception.connectionError(ErrorCode.ENHANCE_YOUR_CALM,
                            "header block over " + MAX_HEADER_BLOCK + " bytes");
                }
                pendingBlock.writeBytes(continuation.fragment());
                if (continuation.endHeaders()) {
                    onHeaderBlock();
                }
            }
            case DataFrame data -> onData(data);
            case RstStreamFrame reset -> reset(reset.streamId(), reset.errorCode(), false);
            case SettingsFrame settings -> {
                if (!settings.ack()) { // an ACK only confirms ours, which change nothing we track
                    onSettings(settings);
                }
            }
            case PingFrame ping -> {
                if (!ping.ack()) { // §6.7: answer with the same eight bytes
                    write(FrameEncoder.toBytes(new PingFrame(true, ping.opaqueData())));
                }
            }
            case GoAwayFrame goAway -> onGoAway(goAway);
            case WindowUpdateFrame update -> onWindowUpdate(update);
            case PushPromiseFrame push -> throw Http2Exception.connectionError(
                    ErrorCode.PROTOCOL_ERROR,
                    "PUSH_PROMISE although our SETTINGS_ENABLE_PUSH is 0 (RFC 9113 §8.4)");
            case PriorityFrame priority -> { } // §5.3.2: deprecated, nothing to do
            case UnknownFrame unknown -> { } // §4.1: frames of unknown type are ignored
        }
    }

    /** A whole response header block: always decoded, so the HPACK table stays in step. */
    private void onHeaderBlock() throws HpackException, IOException {
        int streamId = pendingBlockStream;
        boolean endsStream = pendingBlockEndsStream;
        pendingBlockStream = 0;
        List<HeaderField> fields;
        try {
            fields = hpackDecoder.decode(ByteBuffer.wrap(pendingBlock.toByteArray()));
        } catch (HeaderListTooLargeException e) {
            refuseResponse(streamId, endsStream, ErrorCode.CANCEL, e.getMessage());
            return;
        }
        OpenStream stream = find(streamId);
        if (stream == null) {
            return; // reset or failed already
        }
        for (HeaderField field : fields) {
            if (field.name().equals(":status")) {
                String value = field.value();
                if (value.length() != 3 || !value.chars().allMatch(Character::isDigit)) {
                    refuseResponse(streamId, endsStream, ErrorCode.PROTOCOL_ERROR,
                            ":status \"" + value + "\" is not a three-digit code");
                    return;
                }
                int status = Integer.parseInt(value);
                if (status >= 200) { // §8.1: 1xx is informational, the final answer follows
                    stream.status = status;
                }
            }
        }
        if (endsStream) {
            complete(streamId);
        }
    }

    /**
     * §8.1.1: a malformed response is a stream error; the request counts as failed. No
     * RST_STREAM when the block ended the stream: §5.1 allows no frame on a closed stream.
     */
    private void refuseResponse(int streamId, boolean endsStream, ErrorCode errorCode, String why)
            throws IOException {
        System.err.println("h2 stream " + streamId + " refused: " + why);
        reset(streamId, errorCode, !endsStream);
    }

    /** §6.9: give back what DATA took from our windows, the connection's in batches of half. */
    private void onData(DataFrame data) throws IOException {
        int length = data.flowControlledLength();
        receivedSinceWindowUpdate += length;
        if (receivedSinceWindowUpdate >= RECEIVE_WINDOW / 2) {
            write(FrameEncoder.toBytes(new WindowUpdateFrame(0, receivedSinceWindowUpdate)));
            receivedSinceWindowUpdate = 0;
        }
        if (data.endStream()) {
            complete(data.streamId());
        } else if (length > 0 && find(data.streamId()) != null) {
            write(FrameEncoder.toBytes(new WindowUpdateFrame(data.streamId(), length)));
        }
    }

    private void onSettings(SettingsFrame settings) throws IOException {
        lock.lock();
        try {
            peer = peer.with(settings); // §6.5.3: applied in order
            changed.signalAll(); // MAX_CONCURRENT_STREAMS may have grown
        } finally {
            lock.unlock();
        }
        writeLock.lock();
        try {
            hpackEncoder.setMaxTableSize(peer.headerTableSize());
            output.write(FrameEncoder.toBytes(SettingsFrame.ACKNOWLEDGEMENT));
        } finally {
            writeLock.unlock();
        }
    }

    /** §6.8: streams above lastStreamId were never processed; no new stream may start. */
    private void onGoAway(GoAwayFrame goAway) {
        System.err.println("h2 connection " + socket.getLocalPort() + ": server sent " + goAway);
        lock.lock();
        try {
            goingAway = true;
            Iterator<Map.Entry<Integer, OpenStream>> entries = open.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<Integer, OpenStream> entry = entries.next();
                if (entry.getKey() > goAway.lastStreamId()) {
                    requests.failed(entry.getValue().due);
                    entries.remove();
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void onWindowUpdate(WindowUpdateFrame update) throws Http2Exception {
        if (update.streamId() != 0) {
            return; // a stream's body left whole when it opened: its own window no longer matters
        }
        lock.lock();
        try {
            sendWindow += update.increment();
            if (sendWindow > Setting.MAX_WINDOW_SIZE) {
                throw Http2Exception.connectionError(ErrorCode.FLOW_CONTROL_ERROR,
                        "connection window of " + sendWindow
                                + " is over 2^31-1 (RFC 9113 §6.9.1)");
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // --- streams -------------------------------------------------------------------------------

    private OpenStream find(int streamId) {
        lock.lock();
        try {
            return open.get(streamId);
        } finally {
            lock.unlock();
        }
    }

    /** The response ended (END_STREAM): its request is answered with the status it carried. */
    private void complete(int streamId) {
        OpenStream stream = remove(streamId);
        if (stream != null) {
            requests.answered(stream.due, stream.status); // no final status: 0, counted as refused
        }
    }

    /** The stream ends without an answer; {@code send}: tell the server with RST_STREAM. */
    private void reset(int streamId, ErrorCode errorCode, boolean send) throws IOException {
        OpenStream stream = remove(streamId);
        if (stream != null) {
            requests.failed(stream.due);
            if (send) {
                write(FrameEncoder.toBytes(new RstStreamFrame(streamId, errorCode)));
            }
        }
    }

    private OpenStream remove(int streamId) {
        lock.lock();
        try {
            OpenStream stream = open.remove(streamId);
            if (stream != null) {
                changed.signalAll(); // a stream is free
            }
            return stream;
        } finally {
            lock.unlock();
        }
    }

    // --- the connection ----------------------------------------------------------------------

    private void write(byte[] frame) throws IOException {
        writeLock.lock();
        try {
            output.write(frame);
        } finally {
            writeLock.unlock();
        }
    }

    /** §5.4.1: a connection error - GOAWAY with its code, then close. */
    private void goAway(ErrorCode errorCode, String why) {
        try {
            byte[] debugData = why.getBytes(StandardCharsets.UTF_8);
            write(FrameEncoder.toBytes(new GoAwayFrame(0, errorCode, debugData)));
        } catch (IOException e) {
            why += " (and the GOAWAY could not be sent: " + e + ")";
        }
        stop(errorCode + ": " + why);
    }

    /**
     * Ends the connection, once: streams still open count as failed, the sender opens no
     * more, the socket closes (which ends the reader). {@code why} is printed unless the
     * connection had already stopped; null for a stop that is no news.
     */
    private void stop(String why) {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            stopped = true;
            open.values().forEach(stream -> requests.failed(stream.due));
            open.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (why != null) {
            System.err.println("h2 connection " + socket.getLocalPort() + " stopped: " + why);
        }
        try {
            socket.close();
        } catch (IOException e) {
            System.err.println("closing " + socket + ": " + e);
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(5)); // the socket is closed: the reader ends at once
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
