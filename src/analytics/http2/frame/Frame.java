package analytics.http2.frame;

/**
 * One decoded HTTP/2 frame. Each frame type is a record of its own with its flags, its
 * payload diagram and its parser; a switch over this sealed interface must handle them all.
 *
 * Pattern: sealed interface over immutable values - the compiler checks that the
 *          connection's dispatch forgets no frame type.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §4.1, §6
 * Not here: the 9-byte frame header (FrameDecoder reads it, each record keeps what matters).
 * Threads: immutable values (byte arrays are never changed after decoding).
 */
public sealed interface Frame permits DataFrame, HeadersFrame, PriorityFrame, RstStreamFrame,
        SettingsFrame, PushPromiseFrame, PingFrame, GoAwayFrame, WindowUpdateFrame,
        ContinuationFrame, UnknownFrame {

    /** The stream the frame belongs to; 0 for the connection itself. */
    int streamId();
}
