package analytics.loadtest;

import analytics.loadtest.measure.DueTime;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection of HttpRateBench over a raw socket: waits for each
 * request's due time, sends one POST, reads its answer, and only then sends the next - so a
 * slow answer makes the next request late, and the delay is counted in its latency.
 *
 * Pattern: a closed connection inside an open-loop schedule; raw bytes, no client library.
 * Lesson:  lessons/07-backpressure-and-fan-out.md   Spec: RFC 9112 §9.3 (persistent connections)
 * Not here: pipelining (a late connection sends late, and the delay is counted); chunked
 *           responses (System 1 always sends Content-Length).
 * Threads: one virtual thread, sending and then reading its answer.
 */
final class Http1BenchConnection implements BenchConnection {

    private final Socket socket;
    private final String authority;
    private final String path;

    private Http1BenchConnection(Socket socket, String authority, String path) {
        this.socket = socket;
        this.authority = authority;
        this.path = path;
    }

    static Http1BenchConnection connect(InetSocketAddress address, String path) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 5_000);
        String authority = address.getHostString() + ":" + address.getPort();
        return new Http1BenchConnection(socket, authority, path);
    }

    @Override
    public Thread start(PacedRequests requests) {
        return Thread.ofVirtual().name("h1-bench-" + socket.getLocalPort())
                .start(() -> run(requests));
    }

    private void run(PacedRequests requests) {
        long seq = 0;
        try (socket) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            for (long due = requests.due(seq); !requests.isOver(due); due = requests.due(++seq)) {
                DueTime.await(due);
                out.write(request(requests.body(seq)));
                requests.answered(due, readResponse(in));
            }
        } catch (IOException e) {
            if (!socket.isClosed()) {
                System.err.println("connection stopped: " + e);
            }
            requests.abandonFrom(seq); // the one on the wire and all still to come
        }
    }

    @Override
    public void close() {
        try {
            socket.close(); // the blocked read throws, run() ends
        } catch (IOException e) {
            System.err.println("closing " + socket + ": " + e);
        }
    }

    /** Head and body in one array, so the request leaves in one write. */
    private byte[] request(byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + authority
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** Reads one response (status line, fields, Content-Length body) and returns its status. */
    static int readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.substring(9, 12)); // "HTTP/1.1 202 Accepted"
        long length = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(line.substring(colon + 1).strip());
            }
        }
        for (long skipped = 0; skipped < length; skipped++) {
            if (in.read() < 0) {
                throw new EOFException("body cut short");
            }
        }
        return status;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
