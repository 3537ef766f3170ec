package analytics.websocket;

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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client that speaks raw bytes over a java.net.Socket, so a test can send
 * exactly the frames it wants - broken ones no real client would send included - and
 * read exactly what the server wrote. Frames are built and parsed here from the RFC's
 * bit diagram, not with FrameEncoder/FrameDecoder, so the server is not checked by itself.
 *
 * Pattern: a scriptable peer for byte-level wire tests (mini-redis tests its server so).
 * Lesson:  lessons/05-websocket-frames.md   Spec: RFC 6455 §4.1, §5.2, §5.3, §5.5
 * Not here: the rules; it sends whatever it is told to.
 * Threads: one test thread. Every read has a deadline (SO_TIMEOUT), so no test hangs.
 */
final class RawWebSocketClient implements AutoCloseable {

    /** The RFC 6455 §1.3 example key, whose accept value the RFC also gives. */
    static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    /** The RFC 6455 §5.7 example masking key. */
    static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};
    static final int READ_TIMEOUT_MS = 5_000;

    /** A frame as the server sent it. */
    record ServerFrame(boolean fin, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame; 1005 when it carried none. */
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** A response head as the server sent it: status line, fields by lower-case name. */
    record ResponseHead(String statusLine, Map<String, String> headers) {
        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean closeSent;

    private RawWebSocketClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A TCP connection with nothing sent yet. */
    static RawWebSocketClient open(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        return new RawWebSocketClient(socket);
    }

    /** A WebSocket after a successful opening handshake. */
    static RawWebSocketClient connect(int port) throws IOException {
        RawWebSocketClient client = open(port);
        ResponseHead head = client.handshake();
        if (head.status() != 101) {
            client.close();
            throw new IOException("handshake refused: " + head.statusLine());
        }
        return client;
    }

    /** Sends the §1.3 example upgrade request and reads the response head. */
    ResponseHead handshake() throws IOException {
        sendRaw(("GET /chat HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RFC_KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return readResponseHead();
    }

    Socket socket() {
        return socket;
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendRaw(String text) throws IOException {
        sendRaw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A masked frame, as a client must send (§5.1). */
    void sendFrame(boolean fin, Opcode opcode, byte[] payload) throws IOException {
        sendRaw(frame(fin, opcode.code(), payload, MASK));
        if (opcode == Opcode.CLOSE) {
            closeSent = true;
        }
    }

    void sendText(String text) throws IOException {
        sendFrame(true, Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendClose(int code, String reason) throws IOException {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        sendFrame(true, Opcode.CLOSE, ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array());
    }

    /**
     * Builds a frame bit by bit from the §5.2 diagram: FIN and opcode, MASK and the 7-bit
     * length (126: 16-bit length follows, 127: 64-bit), the masking key, the payload.
     */
    static byte[] frame(boolean fin, int opcode, byte[] payload, byte[] maskOrNull) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        int maskBit = maskOrNull == null ? 0 : 0x80;
        if (payload.length < 126) {
            frame.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(maskBit | 126);
            frame.writeBytes(ByteBuffer.allocate(2).putShort((short) payload.length).array());
        } else {
            frame.write(maskBit | 127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        if (maskOrNull == null) {
            frame.writeBytes(payload);
        } else {
            frame.writeBytes(maskOrNull);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ maskOrNull[i % 4]);
            }
        }
        return frame.toByteArray();
    }

    /** The next frame that is not a ping; pings are answered with a pong (until we sent close). */
    ServerFrame readFrame() throws IOException {
        while (true) {
            ServerFrame frame = readAnyFrame();
            if (frame.opcode() != Opcode.PING.code()) {
                return frame;
            }
            if (!closeSent) {
                sendFrame(true, Opcode.PONG, frame.payload());
            }
        }
    }

    /** The next frame of any type, pings included; a server frame must be unmasked (§5.1). */
    ServerFrame readAnyFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("the server sent a masked frame");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = ByteBuffer.wrap(readBytes(2)).getShort() & 0xFFFF;
        } else if (length == 127) {
            length = ByteBuffer.wrap(readBytes(8)).getLong();
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("frame length " + length);
        }
        return new ServerFrame((b0 & 0x80) != 0, b0 & 0x0F, readBytes((int) length));
    }

    /** Reads up to the blank line after a response's header fields. */
    ResponseHead readResponseHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            head.write(readByte());
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        return new ResponseHead(lines[0], headers);
    }

    /** The rest of the stream as text, up to the server's end of it. */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /**
     * Whether the server closed the TCP connection: reads (and discards) until end of
     * stream or a reset, within the read timeout; false if the connection stays open.
     */
    boolean awaitServerClosedTcp() throws IOException {
        try {
            byte[] sink = new byte[64 * 1024];
            while (in.read(sink) >= 0) {
                // discard: frames the server had queued before it closed
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true; // "Connection reset": closed with unread data, also an end
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the server closed the connection");
        }
        return b;
    }

    private byte[] readBytes(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("the server closed the connection in the middle of a frame");
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
