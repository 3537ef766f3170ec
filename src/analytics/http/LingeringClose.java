package analytics.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;

/**
 * Closes a connection after its last answer without losing that answer: half-close our
 * side, read and drop what the client still sends - a body we never read - for a moment,
 * then close. Closing at once with unread bytes in the receive buffer makes the kernel send
 * a TCP reset, and a reset can destroy the answer before the client has read it.
 *
 * Pattern: lingering close (as Apache httpd calls it): bounded in bytes and in time, so a
 *          client that keeps sending cannot hold the connection open.
 * Lesson:  lessons/04-websocket-handshake.md   Spec: RFC 9112 §9.6 (tear-down)
 * Not here: writing the answer (the caller has, before calling this).
 * Threads: the connection's own thread; it blocks at most LINGER.
 */
public final class LingeringClose {

    /** How long the client has to stop sending. */
    public static final Duration LINGER = Duration.ofSeconds(1);
    /** At most this much is read and dropped. */
    public static final int MAX_DRAIN_BYTES = 1024 * 1024;

    private LingeringClose() {
    }

    /** @param in the connection's input, buffered or not: what it already holds is dropped too */
    public static void close(Socket socket, InputStream in) {
        try {
            if (!socket.isOutputShutdown()) {
                socket.shutdownOutput(); // our FIN: the client sees the end of the answer
            }
            drain(socket, in);
        } catch (IOException gone) {
            // nothing left to drain
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /**
     * Reads and drops what the client sends until it closes, LINGER passes or MAX_DRAIN_BYTES
     * were read - without closing: for a caller that closes the socket itself.
     */
    public static void drain(Socket socket, InputStream in) {
        try {
            socket.setSoTimeout((int) LINGER.toMillis());
            long deadline = System.nanoTime() + LINGER.toNanos();
            byte[] sink = new byte[8192];
            long drained = 0;
            int n;
            while (drained < MAX_DRAIN_BYTES && System.nanoTime() < deadline
                    && (n = in.read(sink)) >= 0) {
                drained += n;
            }
        } catch (IOException timedOutOrGone) {
            // either way, time to close
        }
    }
}
