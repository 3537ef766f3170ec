package analytics.websocket;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The buffered stream a connection's HTTP request head is read through, a byte at a time,
 * and only that. A client may send its first frames right behind the head, and the buffer
 * may already hold them: handOver() gives those bytes to the WebSocketConnection and drops
 * the buffer. The connection then reads the socket itself - it keeps no 1 KiB it will
 * never use again, and its reader waits three stack frames shallower (a parked virtual
 * thread's frames are copied to the heap).
 *
 * Pattern: hand over what was read ahead, then let go - a buffer lives as long as the
 *          phase that needs it, not as long as the connection.
 * Lesson:  lessons/06-websocket-messages-and-close.md
 * Not here: parsing the head (analytics.http.RequestHead); decoding the frames
 *           (FrameDecoder, fed by WebSocketConnection.readLoop).
 * Threads: the connection's own thread only.
 */
final class HeadStream extends BufferedInputStream {

    /** Enough for a browser's upgrade request in one or two reads. */
    static final int BUFFER_BYTES = 1024;

    HeadStream(InputStream socketIn) {
        super(socketIn, BUFFER_BYTES);
    }

    /** The bytes read past the head; the stream is closed to reads afterwards. */
    synchronized byte[] handOver() {
        byte[] readAhead = Arrays.copyOfRange(buf, pos, count);
        buf = null; // a read after this fails as on a closed stream; the socket stays open
        return readAhead;
    }
}
