package analytics.http2;

import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.HeadersFrame;
import analytics.http2.frame.Http2Exception;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A header block arriving in pieces: the fragment of a HEADERS frame without END_HEADERS,
 * then CONTINUATION fragments until one has it. The bytes are kept, bounded, until the
 * block is whole - HPACK can only decode a whole block.
 *
 * The bound is what makes a CONTINUATION flood (endless fragments, never END_HEADERS)
 * end in GOAWAY instead of an ever-growing buffer.
 *
 * Pattern: bounded accumulator with the limit checked before the bytes are copied.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §4.3, §6.10, §10.5.1
 * Not here: the rule that nothing else may come between the fragments (the connection's).
 * Threads: the connection's reader thread only.
 */
final class HeaderBlock {

    final int streamId;
    final boolean opensStream;
    final boolean endStream;
    final int dependency;
    private final int maxBytes;
    private byte[] bytes = new byte[1024];
    private int length;

    HeaderBlock(HeadersFrame first, boolean opensStream, int maxBytes) throws Http2Exception {
        this.streamId = first.streamId();
        this.opensStream = opensStream;
        this.endStream = first.endStream();
        this.dependency = first.dependency();
        this.maxBytes = maxBytes;
        append(first.fragment());
    }

    void append(byte[] fragment) throws Http2Exception {
        if (length + fragment.length > maxBytes) {
            throw Http2Exception.connectionError(ErrorCode.ENHANCE_YOUR_CALM, "header block of stream "
                    + streamId + " over " + maxBytes + " bytes (CONTINUATION flood?)");
        }
        if (length + fragment.length > bytes.length) {
            int grown = Math.max(length + fragment.length, bytes.length * 2);
            bytes = Arrays.copyOf(bytes, Math.min(maxBytes, grown));
        }
        System.arraycopy(fragment, 0, bytes, length, fragment.length);
        length += fragment.length;
    }

    ByteBuffer bytes() {
        return ByteBuffer.wrap(bytes, 0, length);
    }
}
