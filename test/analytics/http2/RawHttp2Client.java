package analytics.http2;

import analytics.http2.hpack.HeaderField;
import analytics.http2.hpack.HpackDecoder;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An HTTP/2 client that speaks raw bytes over a java.net.Socket, so a test can send exactly
 * the frames it wants - broken ones included - and read exactly the frames the server wrote.
 * Frames and request header blocks are built here from RFC 9113 §4.1/§6 and RFC 7541 §6.2.2
 * (literals only), not with the server's FrameEncoder, so the server is not checked by
 * itself. Response header blocks are read with the HPACK decoder, which has tests of its own
 * against every example of RFC 7541 Appendix C.
 *
 * Pattern: a scriptable peer for byte-level wire tests, like RawWebSocketClient.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §3.4, §4.1, §6, §6.9; RFC 7541 §5, §6.2.2
 * Not here: the rules; it sends whatever it is told to (sendBody alone honours windows).
 *           Frames the test does not wait for are kept, never lost, so the order in which
 *           the server's streams finish does not matter.
 * Threads: one test thread. Every read has a deadline (SO_TIMEOUT), so no test hangs.
 */
final class RawHttp2Client implements AutoCloseable {

    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int READ_TIMEOUT_MS = 5_000;

    // §6: frame types and flags, spelled out here rather than borrowed from the server.
    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int PRIORITY = 0x2;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PUSH_PROMISE = 0x5;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;
    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PADDED = 0x8;

    // §7: the error codes the tests expect.
    static final int NO_ERROR = 0x0;
    static final int PROTOCOL_ERROR = 0x1;
    static final int INTERNAL_ERROR = 0x2;
    static final int FLOW_CONTROL_ERROR = 0x3;
    static final int STREAM_CLOSED = 0x5;
    static final int FRAME_SIZE_ERROR = 0x6;
    static final int REFUSED_STREAM = 0x7;
    static final int COMPRESSION_ERROR = 0x9;
    static final int ENHANCE_YOUR_CALM = 0xb;

    /** A frame as the server sent it. */
    record RawFrame(int type, int flags, int streamId, byte[] payload) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        /** RST_STREAM's code, or GOAWAY's. */
        int errorCode() {
            return ByteBuffer.wrap(payload).getInt(type == GOAWAY ? 4 : 0);
        }

        int lastStreamId() {
            return ByteBuffer.wrap(payload).getInt(0) & 0x7FFF_FFFF;
        }

        String debugText() {
            return new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
        }

        /** SETTINGS entries by identifier. */
        Map<Integer, Long> settings() {
            Map<Integer, Long> entries = new LinkedHashMap<>();
            ByteBuffer in = ByteBuffer.wrap(payload);
            while (in.remaining() >= 6) {
                entries.put(in.getShort() & 0xFFFF, Integer.toUnsignedLong(in.getInt()));
            }
            return entries;
        }

        int windowIncrement() {
            return ByteBuffer.wrap(payload).getInt() & 0x7FFF_FFFF;
        }

        @Override
        public String toString() {
            return "frame type=" + type + " flags=0x" + Integer.toHexString(flags) + " stream=" + streamId
                    + " length=" + payload.length;
        }
    }

    /** A whole response: the header fields by name (":status" included) and the body. */
    record Response(Map<String, String> headers, byte[] body, List<RawFrame> dataFrames) {
        int status() {
            return Integer.parseInt(headers.get(":status"));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final HpackDecoder hpack = new HpackDecoder(4096, 1 << 20);
    /** What the server lets us send (§6.9): updated by sendBody from the frames it reads. */
    private long connectionSendWindow = 65_535;
    private final Map<Integer, Long> streamSendWindows = new LinkedHashMap<>();
    private long initialSendWindow = 65_535;

    private RawHttp2Client(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A TCP connection with nothing sent yet. */
    static RawHttp2Client open(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        return new RawHttp2Client(socket);
    }

    /** Preface and an empty SETTINGS sent, the server's SETTINGS read: ready for streams. */
    static RawHttp2Client connect(int port) throws IOException {
        RawHttp2Client client = open(port);
        client.write(PREFACE);
        client.settings();
        RawFrame first = client.readFrame();
        if (first.type() != SETTINGS || first.has(ACK)) {
            client.close();
            throw new IOException("expected the server's SETTINGS first, got " + first);
        }
        return client;
    }

    void setReadTimeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    // --- writing ------------------------------------------------------------------------------

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** §4.1: length (24), type, flags, R + stream id (31), payload. */
    static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        return ByteBuffer.allocate(9 + payload.length)
                .put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length)
                .put((byte) type).put((byte) flags).putInt(streamId).put(payload).array();
    }

    void writeFrame(int type, int flags, int streamId, byte[] payload) throws IOException {
        write(frame(type, flags, streamId, payload));
    }

    /** SETTINGS with identifier/value pairs. */
    void settings(long... idsAndValues) throws IOException {
        ByteBuffer payload = ByteBuffer.allocate(idsAndValues.length * 3);
        for (int i = 0; i < idsAndValues.length; i += 2) {
            payload.putShort((short) idsAndValues[i]).putInt((int) idsAndValues[i + 1]);
            if (idsAndValues[i] == 0x4) {
                initialSendWindow = idsAndValues[i + 1];
            }
        }
        writeFrame(SETTINGS, 0, 0, payload.array());
    }

    void ping(long data) throws IOException {
        writeFrame(PING, 0, 0, ByteBuffer.allocate(8).putLong(data).array());
    }

    void windowUpdate(int streamId, int increment) throws IOException {
        writeFrame(WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
    }

    void rstStream(int streamId, int errorCode) throws IOException {
        writeFrame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(errorCode).array());
    }

    void data(int streamId, boolean endStream, byte[] data) throws IOException {
        writeFrame(DATA, endStream ? END_STREAM : 0, streamId, data);
    }

    /** One HEADERS frame with END_HEADERS carrying the whole block. */
    void headers(int streamId, boolean endStream, byte[] block) throws IOException {
        writeFrame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, block);
    }

    /** A request: GET, HEAD... with END_STREAM; a POST leaves the stream open for its body. */
    void request(int streamId, String method, String path, boolean endStream, String... extraFields)
            throws IOException {
        headers(streamId, endStream, requestBlock(method, path, extraFields));
    }

    /** The request's pseudo-headers, then {@code extraFields} as name/value pairs. */
    static byte[] requestBlock(String method, String path, String... extraFields) {
        List<String> fields = new ArrayList<>(List.of(":method", method, ":scheme", "http",
                ":path", path, ":authority", "test"));
        fields.addAll(List.of(extraFields));
        return block(fields.toArray(String[]::new));
    }

    /**
     * RFC 7541 §6.2.2, literal header field without indexing, new name, no Huffman: 0x00,
     * then each string as a length (7-bit prefix integer, §5.1) and its bytes.
     */
    static byte[] block(String... namesAndValues) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            block.write(0x00);
            writeString(block, namesAndValues[i]);
            writeString(block, namesAndValues[i + 1]);
        }
        return block.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream block, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int length = bytes.length;
        if (length < 127) {
            block.write(length);
        } else {
            block.write(127);
            length -= 127;
            while (length >= 128) {
                block.write((length & 0x7F) | 0x80);
                length >>>= 7;
            }
            block.write(length);
        }
        block.writeBytes(bytes);
    }

    /**
     * Sends a body in DATA frames of at most 16,384 bytes within both send windows (§6.9),
     * reading the server's WINDOW_UPDATEs whenever a window is used up. Frames that are
     * not WINDOW_UPDATE are kept for {@link #readFrame}.
     */
    void sendBody(int streamId, byte[] body) throws IOException {
        int offset = 0;
        while (offset < body.length) {
            long streamWindow = streamSendWindows.computeIfAbsent(streamId, id -> initialSendWindow);
            long allowed = Math.min(Math.min(connectionSendWindow, streamWindow), 16_384);
            if (allowed <= 0) {
                passedOver.add(readFromSocket()); // a WINDOW_UPDATE, we hope; the read applies it
                continue;
            }
            int n = (int) Math.min(allowed, body.length - offset);
            boolean last = offset + n == body.length;
            byte[] chunk = Arrays.copyOfRange(body, offset, offset + n);
            data(streamId, last, chunk);
            connectionSendWindow -= n;
            streamSendWindows.put(streamId, streamWindow - n);
            offset += n;
        }
    }

    // --- reading ------------------------------------------------------------------------------

    /** Frames readUntil passed over, handed out first by the next reads. */
    private final ArrayDeque<RawFrame> passedOver = new ArrayDeque<>();
    /** The header block arriving now: HEADERS, then its CONTINUATIONs (§6.10, never interleaved). */
    private final ByteArrayOutputStream arrivingBlock = new ByteArrayOutputStream();
    /**
     * Header blocks decoded as they arrived, by stream. HPACK's dynamic table changes in the
     * order the server encoded its blocks, so a client must decode them in arrival order -
     * not in the order a test happens to ask for its streams' responses.
     */
    private final Map<Integer, ArrayDeque<Map<String, String>>> decodedBlocks = new HashMap<>();

    /** The next frame: one readUntil passed over, else one from the socket. */
    RawFrame readFrame() throws IOException {
        RawFrame frame = passedOver.poll();
        return frame != null ? frame : readFromSocket();
    }

    /** Reads one frame, applying a WINDOW_UPDATE to our send windows on the way. */
    private RawFrame readFromSocket() throws IOException {
        byte[] header = in.readNBytes(9);
        if (header.length < 9) {
            throw new EOFException("the server closed the connection");
        }
        int length = ((header[0] & 0xFF) << 16) | ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
        int streamId = ByteBuffer.wrap(header, 5, 4).getInt() & 0x7FFF_FFFF;
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new EOFException("the server closed the connection inside a frame");
        }
        RawFrame frame = new RawFrame(header[3] & 0xFF, header[4] & 0xFF, streamId, payload);
        if (frame.type() == HEADERS || frame.type() == CONTINUATION) {
            arrivingBlock.writeBytes(payload);
            if (frame.has(END_HEADERS)) {
                decodedBlocks.computeIfAbsent(streamId, id -> new ArrayDeque<>())
                        .add(decode(arrivingBlock.toByteArray()));
                arrivingBlock.reset();
            }
        }
        if (frame.type() == WINDOW_UPDATE) {
            if (streamId == 0) {
                connectionSendWindow += frame.windowIncrement();
            } else {
                streamSendWindows.merge(streamId, (long) frame.windowIncrement(), Long::sum);
            }
        }
        return frame;
    }

    /**
     * The first frame of {@code type} on {@code streamId} (-1: any stream); the frames
     * before it are kept, in order, for the next reads.
     */
    RawFrame readUntil(int type, int streamId) throws IOException {
        return next(frame -> frame.type() == type && (streamId < 0 || frame.streamId() == streamId));
    }

    /** The first frame that {@code wanted} picks, kept ones first; the others stay kept, in order. */
    private RawFrame next(Predicate<RawFrame> wanted) throws IOException {
        for (Iterator<RawFrame> it = passedOver.iterator(); it.hasNext(); ) {
            RawFrame frame = it.next();
            if (wanted.test(frame)) {
                it.remove();
                return frame;
            }
        }
        while (true) {
            RawFrame frame = readFromSocket();
            if (wanted.test(frame)) {
                return frame;
            }
            passedOver.add(frame);
        }
    }

    /** The GOAWAY that ends the connection, then the end of the stream. */
    RawFrame expectGoAway() throws IOException {
        RawFrame goAway = readUntil(GOAWAY, -1);
        expectClosed();
        return goAway;
    }

    /** Everything up to the server closing the connection is read and dropped. */
    void expectClosed() throws IOException {
        try {
            while (in.read() >= 0) {
                in.skip(in.available());
            }
        } catch (SocketException reset) {
            // a reset also means closed
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the connection was not closed within " + READ_TIMEOUT_MS + " ms");
        }
    }

    /** The response on {@code streamId}: HEADERS (+CONTINUATION), DATA up to END_STREAM. */
    Response readResponse(int streamId) throws IOException {
        Map<String, String> headers = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<RawFrame> dataFrames = new ArrayList<>();
        boolean ended = false;
        while (!ended) {
            RawFrame frame = next(candidate -> candidate.streamId() == streamId);
            switch (frame.type()) {
                case HEADERS, CONTINUATION -> {
                    if (frame.has(END_HEADERS)) {
                        headers = decodedBlocks.get(streamId).poll(); // decoded when it arrived
                    }
                    ended = frame.type() == HEADERS && frame.has(END_STREAM);
                    if (ended && !frame.has(END_HEADERS)) {
                        ended = false; // END_STREAM waits for the block's last CONTINUATION
                    }
                }
                case DATA -> {
                    body.writeBytes(frame.payload());
                    dataFrames.add(frame);
                    ended = frame.has(END_STREAM);
                }
                case RST_STREAM -> throw new IOException("stream " + streamId + " reset with code " + frame.errorCode());
                default -> { }
            }
        }
        return new Response(headers, body.toByteArray(), dataFrames);
    }

    Map<String, String> decode(byte[] block) throws IOException {
        try {
            Map<String, String> fields = new LinkedHashMap<>();
            for (HeaderField field : hpack.decode(ByteBuffer.wrap(block))) {
                fields.put(field.name(), field.value());
            }
            return fields;
        } catch (Exception e) {
            throw new IOException("response header block does not decode: " + e, e);
        }
    }

    /** The raw input, for the HTTP/1.1 bytes before an upgrade. */
    InputStream input() {
        return in;
    }

    /** Everything up to the server closing the connection. */
    byte[] readAll() throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
