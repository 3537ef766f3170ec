package analytics.loadtest;

import analytics.websocket.Frame;
import analytics.websocket.FrameDecoder;
import analytics.websocket.FrameEncoder;
import analytics.websocket.Handshake;
import analytics.websocket.Opcode;
import analytics.websocket.WebSocketException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A lean WebSocket client for load generation: blocking socket, our own frame codec,
 * masked frames as RFC 6455 requires of clients. Lean matters here: on a 2-core machine
 * the load generator competes with the server for CPU, so it must cost little per message.
 *
 * Pattern: reuse the server's codec from the other side (masked encoder, unmasked decoder).
 * Lesson:  lessons/07-backpressure-and-fan-out.md   Spec: RFC 6455 §4.1, §5.3
 * Not here: fragmentation on send, ping replies beyond pong, TLS.
 * Threads: one writer thread (send) and one reader thread (readLoop) per client.
 */
final class BenchWebSocketClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();

    private BenchWebSocketClient(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /** Connects and completes the opening handshake (§4.1), checking Sec-WebSocket-Accept. */
    static BenchWebSocketClient connect(URI uri) throws IOException {
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setTcpNoDelay(true);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String request = "GET " + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        String head = readHead(in);
        if (!head.startsWith("HTTP/1.1 101") || !head.contains(Handshake.acceptKey(key))) {
            socket.close();
            throw new IOException("handshake refused: " + head.lines().findFirst().orElse(""));
        }
        return new BenchWebSocketClient(socket, in);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Sends one masked text frame; flushes unless more are coming ({@code flush=false}). */
    void send(String text, boolean flush) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        byte[] frame = FrameEncoder.masked(true, Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8), mask);
        synchronized (writeLock) {
            out.write(frame);
            if (flush) {
                out.flush();
            }
        }
    }

    void flush() throws IOException {
        synchronized (writeLock) {
            out.flush();
        }
    }

    /** Reads until the connection ends, handing each text message to {@code onText}. */
    void readLoop(Consumer<String> onText) throws IOException {
        FrameDecoder decoder = new FrameDecoder(64 * 1024 * 1024, false);
        byte[] buffer = new byte[64 * 1024];
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                Frame frame;
                while ((frame = decoder.decode(bytes)) != null) {
                    switch (frame.opcode()) {
                        case TEXT -> onText.accept(new String(frame.payload(), StandardCharsets.UTF_8));
                        case PING -> {
                            byte[] mask = new byte[4];
                            synchronized (writeLock) {
                                out.write(FrameEncoder.masked(true, Opcode.PONG, frame.payload(), mask));
                                out.flush();
                            }
                        }
                        case CLOSE -> {
                            return;
                        }
                        default -> { }
                    }
                }
            }
        } catch (WebSocketException e) {
            throw new IOException("server broke the protocol: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
