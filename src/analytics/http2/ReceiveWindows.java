package analytics.http2;

import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.Http2Exception;
import analytics.http2.frame.Setting;
import analytics.http2.frame.WindowUpdateFrame;

/**
 * The receiving side of HTTP/2 flow control (§6.9): how many bytes of DATA we still let the
 * client send, on the connection and on each stream, and when to let it send more. DATA
 * past a window is the client's error (§6.9.1: FLOW_CONTROL_ERROR, on the connection or on
 * the stream). We give credit back with WINDOW_UPDATE once half a window is used, so a
 * client uploading at full speed never waits for us - and we give none back to a stream we
 * have already answered, so a request we refused stalls instead of sending its body in vain.
 *
 * The connection's window is 1 MiB (one WINDOW_UPDATE at the start raises it from the
 * initial 65,535); each stream's stays at the initial 65,535, so our SETTINGS need not name
 * it and a request of up to 64 KiB arrives without waiting for credit.
 *
 * Pattern: credit-based flow control, the granting side: spend on arrival, grant again in
 *          large steps - a WINDOW_UPDATE per frame would double the frames on the wire.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.9, §6.9.1, §6.9.2
 * Not here: the sending side (SendWindows); what DATA may arrive on which stream state
 *           (Http2Connection).
 * Threads: the connection's reader thread only.
 */
final class ReceiveWindows {

    /** Our receive window for the whole connection. */
    static final int CONNECTION_WINDOW = 1024 * 1024;
    /** Each stream's receive window: the initial 65,535, so our SETTINGS need not change it. */
    static final int STREAM_WINDOW = (int) Setting.INITIAL_WINDOW_SIZE.initialValue();

    private int connectionWindow = CONNECTION_WINDOW;
    private int connectionUnacknowledged;

    /** Our first WINDOW_UPDATE, right after our SETTINGS: the connection's 65,535 raised to 1 MiB. */
    static WindowUpdateFrame opening() {
        return new WindowUpdateFrame(0, CONNECTION_WINDOW - STREAM_WINDOW);
    }

    /** A stream we took starts with the initial window. */
    void open(Stream stream) {
        stream.receiveWindow = STREAM_WINDOW;
    }

    /**
     * DATA of {@code length} flow-controlled bytes arrived, on any stream, whatever becomes of
     * it (§6.9: padding and DATA on a stream we reset count too). Returns the WINDOW_UPDATE
     * for stream 0 when half the connection window is used, else null.
     */
    WindowUpdateFrame onConnectionData(int length) throws Http2Exception {
        if (length > connectionWindow) {
            throw Http2Exception.connectionError(ErrorCode.FLOW_CONTROL_ERROR,
                    "DATA of " + length + " bytes with " + connectionWindow + " left in the connection window");
        }
        connectionWindow -= length;
        connectionUnacknowledged += length;
        if (connectionUnacknowledged < CONNECTION_WINDOW / 2) {
            return null;
        }
        WindowUpdateFrame update = new WindowUpdateFrame(0, connectionUnacknowledged);
        connectionWindow += connectionUnacknowledged;
        connectionUnacknowledged = 0;
        return update;
    }

    /** The same DATA, on a stream that may receive it: past the stream's window is a stream error. */
    void onStreamData(Stream stream, int length) throws Http2Exception {
        if (length > stream.receiveWindow) {
            throw Http2Exception.streamError(ErrorCode.FLOW_CONTROL_ERROR, stream.id,
                    "DATA of " + length + " bytes with " + stream.receiveWindow + " left in the window of "
                            + stream);
        }
        stream.receiveWindow -= length;
    }

    /**
     * We kept those bytes (the request is still wanted): returns the WINDOW_UPDATE for the
     * stream when half its window is used, else null.
     */
    WindowUpdateFrame kept(Stream stream, int length) {
        stream.unacknowledgedBytes += length;
        if (stream.unacknowledgedBytes < STREAM_WINDOW / 2) {
            return null;
        }
        WindowUpdateFrame update = new WindowUpdateFrame(stream.id, stream.unacknowledgedBytes);
        stream.receiveWindow += stream.unacknowledgedBytes;
        stream.unacknowledgedBytes = 0;
        return update;
    }

    int connectionWindow() {
        return connectionWindow;
    }
}
