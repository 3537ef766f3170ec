package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.Http2Exception;
import analytics.http2.frame.WindowUpdateFrame;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The granting side of flow control on its own (RFC 9113 §6.9): DATA past a window is the
 * client's error, on the connection or on the stream; credit comes back in half-window
 * steps; a stream we no longer keep gets none. Http2WireTest and Http2AnnouncedBodyWireTest
 * see the same rules from a raw client.
 *
 * Lesson: lessons/17-http2-on-the-wire.md
 */
class ReceiveWindowsTest {

    private static final int STREAM = 65_535;
    private static final int CONNECTION = 1024 * 1024;

    private static Stream openStream(ReceiveWindows windows, int id) {
        Stream stream = new Stream(id, new AtomicInteger());
        windows.open(stream);
        return stream;
    }

    @Test
    void theOpeningUpdateRaisesTheConnectionWindowToOneMebibyte() {
        WindowUpdateFrame opening = ReceiveWindows.opening();
        assertEquals(0, opening.streamId());
        assertEquals(CONNECTION - STREAM, opening.increment());
    }

    @Test
    void creditComesBackOnceHalfAStreamWindowIsKept() throws Http2Exception {
        ReceiveWindows windows = new ReceiveWindows();
        Stream stream = openStream(windows, 1);
        windows.onStreamData(stream, 16_384);
        assertNull(windows.kept(stream, 16_384), "a quarter of the window: no update yet");
        windows.onStreamData(stream, 16_384);
        WindowUpdateFrame update = windows.kept(stream, 16_384);
        assertEquals(new WindowUpdateFrame(1, 32_768), update);
        assertEquals(STREAM, stream.receiveWindow, "the whole window is open again");
    }

    @Test
    void dataPastTheStreamWindowIsAStreamError() throws Http2Exception {
        ReceiveWindows windows = new ReceiveWindows();
        Stream stream = openStream(windows, 3);
        windows.onStreamData(stream, STREAM);
        Http2Exception error = assertThrows(Http2Exception.class, () -> windows.onStreamData(stream, 1));
        assertEquals(ErrorCode.FLOW_CONTROL_ERROR, error.errorCode());
        assertEquals(3, error.streamId());
    }

    @Test
    void aStreamWeStoppedKeepingGetsNoCreditAndStallsAtItsWindow() throws Http2Exception {
        ReceiveWindows windows = new ReceiveWindows();
        Stream refused = openStream(windows, 5);
        // The connection never calls kept() for a stream it answered early: its window only shrinks.
        windows.onStreamData(refused, 40_000);
        windows.onStreamData(refused, STREAM - 40_000);
        assertEquals(0, refused.receiveWindow);
        assertThrows(Http2Exception.class, () -> windows.onStreamData(refused, 1));
    }

    @Test
    void everyDataCountsOnTheConnectionAndItsCreditComesBackInHalfWindowSteps() throws Http2Exception {
        ReceiveWindows windows = new ReceiveWindows();
        int sent = 0;
        WindowUpdateFrame update = null;
        while (update == null) {
            update = windows.onConnectionData(16_384);
            sent += 16_384;
        }
        assertEquals(new WindowUpdateFrame(0, sent), update);
        assertEquals(CONNECTION / 2, sent, "the first update comes at exactly half the window");
        assertEquals(CONNECTION, windows.connectionWindow());
    }

    @Test
    void dataPastTheConnectionWindowIsAConnectionError() {
        ReceiveWindows windows = new ReceiveWindows();
        Http2Exception error = assertThrows(Http2Exception.class, () -> windows.onConnectionData(CONNECTION + 1));
        assertEquals(ErrorCode.FLOW_CONTROL_ERROR, error.errorCode());
        assertEquals(0, error.streamId(), "a connection error");
        assertEquals(CONNECTION, windows.connectionWindow(), "a refused frame takes nothing");
    }
}
