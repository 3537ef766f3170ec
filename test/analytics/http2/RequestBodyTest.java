package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.Http2Exception;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The body limit and §8.1.1's content-length rule, one DATA frame at a time. */
class RequestBodyTest {

    private static final int LIMIT = 10;

    @Test
    void keepsTheBytesOfEveryFrameInOrder() throws Exception {
        RequestBody body = new RequestBody(1, LIMIT, -1);
        body.append(new byte[] {1, 2, 3});
        body.append(new byte[] {4});
        body.append(new byte[0]);
        body.complete();
        assertArrayEquals(new byte[] {1, 2, 3, 4}, body.toArray());
    }

    @Test
    void keepsABodyOfExactlyTheLimit() throws Exception {
        RequestBody body = new RequestBody(1, LIMIT, LIMIT);
        body.append(new byte[LIMIT]);
        body.complete();
        assertFalse(body.tooLarge());
        assertEquals(LIMIT, body.toArray().length);
    }

    @Test
    void stopsKeepingOneByteOverTheLimit() throws Exception {
        RequestBody body = new RequestBody(1, LIMIT, -1);
        body.append(new byte[LIMIT]);
        body.append(new byte[1]);
        assertTrue(body.tooLarge());
        body.append(new byte[1000]);
        assertEquals(LIMIT + 1001, body.received(), "counted, not kept");
        assertThrows(IllegalStateException.class, body::toArray);
    }

    @Test
    void knowsABodyIsTooLargeFromItsContentLength() {
        assertTrue(new RequestBody(1, LIMIT, LIMIT + 1).tooLarge());
    }

    @Test
    void refusesMoreDataThanTheContentLengthSaid() throws Exception {
        RequestBody body = new RequestBody(5, LIMIT, 3);
        body.append(new byte[2]);
        Http2Exception e = assertThrows(Http2Exception.class, () -> body.append(new byte[2]));
        assertEquals(ErrorCode.PROTOCOL_ERROR, e.errorCode());
        assertEquals(5, e.streamId());
    }

    @Test
    void refusesLessDataThanTheContentLengthSaid() throws Exception {
        RequestBody body = new RequestBody(5, LIMIT, 3);
        body.append(new byte[2]);
        assertThrows(Http2Exception.class, body::complete);
    }

    /** Memory follows bytes received: a content-length alone allocates nothing. */
    @Test
    void growsWithTheDataReceivedNotTheContentLengthAnnounced() throws Exception {
        int limit = 256 * 1024;
        RequestBody body = new RequestBody(1, limit, limit);
        assertEquals(0, body.capacity(), "the content-length alone allocates nothing");
        body.append(new byte[] {1, 2, 3});
        assertTrue(body.capacity() <= 1024, body.capacity() + " bytes held for 3 received");
        byte[] frame = new byte[16_384];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) i;
        }
        body.append(frame);
        assertTrue(body.capacity() <= 2 * body.received(),
                body.capacity() + " bytes held for " + body.received() + " received");
        while (body.received() + frame.length <= limit) {
            body.append(frame);
        }
        body.append(new byte[(int) (limit - body.received())]);
        body.complete();
        byte[] whole = body.toArray();
        assertEquals(limit, whole.length);
        assertEquals(limit, body.capacity(), "the last growth stops at the content-length");
        assertArrayEquals(new byte[] {1, 2, 3, 0, 1, 2}, Arrays.copyOf(whole, 6));
    }
}
