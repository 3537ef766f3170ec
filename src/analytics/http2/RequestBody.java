package analytics.http2;

import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.Http2Exception;
import java.util.Arrays;

/**
 * The body of one request as its DATA frames arrive: kept up to the server's limit, then
 * only counted, and checked against the request's content-length.
 *
 * Over the limit the bytes already kept are dropped at once and nothing more is kept: the
 * handler is told "too large" (it answers 413) and the rest of the body is discarded as it
 * arrives, so a 1 GB upload costs nothing but the reading.
 *
 * Memory follows the bytes received, not the content-length announced: a client may open a
 * hundred streams, each announcing 256 KiB, and send no DATA at all - allocating what was
 * announced would cost 25 MiB per connection for a few hundred bytes of HEADERS. So the
 * buffer grows as DATA arrives, doubling, never past the content-length (when it has one):
 * the last growth makes it exactly as long as the body.
 *
 * Pattern: bounded accumulator; the limit is enforced while reading, never after; the
 *          buffer grows geometrically with what came.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §8.1.1 (content-length)
 * Not here: flow control (the connection's windows bound what is in flight, this bounds
 *           what is kept).
 * Threads: the connection's reader thread only.
 */
final class RequestBody {

    private static final int FIRST_CAPACITY = 1024;
    private static final byte[] EMPTY = new byte[0];

    private final int streamId;
    private final int maxBytes;
    private final long declaredLength;
    /** The most the buffer will ever need: the content-length when it fits, else the limit. */
    private final int capacityBound;
    private byte[] bytes = EMPTY;
    private long received;

    /** @param declaredLength the content-length field, or -1 without one */
    RequestBody(int streamId, int maxBytes, long declaredLength) {
        this.streamId = streamId;
        this.maxBytes = maxBytes;
        this.declaredLength = declaredLength;
        boolean fits = declaredLength >= 0 && declaredLength <= maxBytes;
        this.capacityBound = fits ? (int) declaredLength : maxBytes;
    }

    /** True once the body is known to be over the limit: from its content-length, or from what came. */
    boolean tooLarge() {
        return received > maxBytes || declaredLength > maxBytes;
    }

    long received() {
        return received;
    }

    /** Keeps (or, over the limit, only counts) a DATA frame's bytes. */
    void append(byte[] data) throws Http2Exception {
        received += data.length;
        if (declaredLength >= 0 && received > declaredLength) {
            throw Http2Exception.streamError(ErrorCode.PROTOCOL_ERROR, streamId,
                    "DATA beyond the content-length of " + declaredLength);
        }
        if (tooLarge()) {
            bytes = null;
            return;
        }
        int start = (int) (received - data.length);
        if (received > bytes.length) {
            // A body sent in one DATA frame gets one array of its length; a longer one
            // doubles, copying under twice its length in all.
            long grown = Math.max(received, Math.max(FIRST_CAPACITY, bytes.length * 2L));
            bytes = Arrays.copyOf(bytes, (int) Math.min(capacityBound, grown));
        }
        System.arraycopy(data, 0, bytes, start, data.length);
    }

    /** At END_STREAM: §8.1.1, a content-length that disagrees with the DATA is malformed. */
    void complete() throws Http2Exception {
        if (declaredLength >= 0 && received != declaredLength) {
            throw Http2Exception.streamError(ErrorCode.PROTOCOL_ERROR, streamId,
                    "content-length " + declaredLength + " but " + received + " bytes of DATA");
        }
    }

    /** Bytes held for the body so far: what tests measure. */
    int capacity() {
        return bytes == null ? 0 : bytes.length;
    }

    /** The body kept, exactly as long as what was received; only when not too large. */
    byte[] toArray() {
        if (tooLarge()) {
            throw new IllegalStateException("the body was over the limit and was not kept");
        }
        return bytes.length == received ? bytes : Arrays.copyOf(bytes, (int) received);
    }
}
