package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.Http2Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The sending side of flow control on its own: what a batch may reserve under both windows
 * (RFC 9113 §6.9), the 2^31-1 limits of §6.9.1, and a SETTINGS change moving every stream's
 * window below zero (§6.9.2). The same arithmetic is exercised end to end by Http2WireTest's
 * window tests; here each rule is one assertion.
 *
 * Lesson: lessons/17-http2-on-the-wire.md
 */
class SendWindowsTest {

    private static final int DEFAULT_WINDOW = 65_535;
    private final AtomicInteger live = new AtomicInteger();

    private Stream streamWithBody(int id, int bodyBytes, long window) {
        Stream stream = new Stream(id, live);
        stream.open(true);
        stream.responseBody = new byte[bodyBytes];
        stream.sendWindow = window;
        return stream;
    }

    @Test
    void aBatchTakesTheSmallerOfTheStreamAndConnectionWindows() {
        SendWindows windows = new SendWindows();
        Stream small = streamWithBody(1, 10_000, 4_000);
        windows.await(small);
        List<SendWindows.Chunk> chunks = new ArrayList<>();
        windows.reserve(chunks);
        assertEquals(List.of(new SendWindows.Chunk(small, 0, 4_000, false)), chunks);
        assertEquals(0, small.sendWindow);
        assertEquals(DEFAULT_WINDOW - 4_000, windows.connectionWindow());
        assertFalse(windows.canSend(), "the stream's window is spent");
    }

    @Test
    void theConnectionWindowIsSharedInArrivalOrder() {
        SendWindows windows = new SendWindows();
        Stream first = streamWithBody(1, 60_000, 100_000);
        Stream second = streamWithBody(3, 60_000, 100_000);
        windows.await(first);
        windows.await(second);
        List<SendWindows.Chunk> chunks = new ArrayList<>();
        windows.reserve(chunks);
        assertEquals(List.of(new SendWindows.Chunk(first, 0, 60_000, true),
                new SendWindows.Chunk(second, 0, DEFAULT_WINDOW - 60_000, false)), chunks);
        assertEquals(0, windows.connectionWindow());
    }

    @Test
    void aWindowUpdateLetsTheRestGoAndTheLastChunkEndsTheBody() throws Http2Exception {
        SendWindows windows = new SendWindows();
        Stream stream = streamWithBody(1, 10_000, 4_000);
        windows.await(stream);
        windows.reserve(new ArrayList<>());
        windows.streamUpdate(stream, 6_000);
        assertTrue(windows.canSend());
        List<SendWindows.Chunk> chunks = new ArrayList<>();
        windows.reserve(chunks);
        assertEquals(List.of(new SendWindows.Chunk(stream, 4_000, 6_000, true)), chunks);
        assertTrue(windows.nothingWaiting(), "a body reserved to its end stops waiting");
    }

    @Test
    void anEmptyBodyNeverWaits() {
        SendWindows windows = new SendWindows();
        windows.await(streamWithBody(1, 0, 0));
        assertTrue(windows.nothingWaiting());
    }

    @Test
    void windowsPastTwoToTheThirtyOneAreThePeersError() throws Http2Exception {
        SendWindows windows = new SendWindows();
        Http2Exception connection = assertThrows(Http2Exception.class,
                () -> windows.connectionUpdate(Integer.MAX_VALUE));
        assertEquals(ErrorCode.FLOW_CONTROL_ERROR, connection.errorCode());
        assertEquals(DEFAULT_WINDOW, windows.connectionWindow(), "a refused update changes nothing");

        Stream stream = streamWithBody(1, 1, Integer.MAX_VALUE - 10);
        Http2Exception onStream = assertThrows(Http2Exception.class, () -> windows.streamUpdate(stream, 11));
        assertEquals(ErrorCode.FLOW_CONTROL_ERROR, onStream.errorCode());
        assertEquals(1, onStream.streamId(), "a stream error, on that stream");
        windows.streamUpdate(stream, 10);
        assertEquals(Integer.MAX_VALUE, stream.sendWindow, "exactly 2^31-1 is allowed");
    }

    @Test
    void aSmallerInitialWindowSizeCanPushStreamWindowsBelowZero() throws Http2Exception {
        SendWindows windows = new SendWindows();
        Stream stream = streamWithBody(1, 10_000, 1_000);
        windows.initialWindowChanged(-5_000, List.of(stream));
        assertEquals(-4_000, stream.sendWindow);
        windows.await(stream);
        assertFalse(windows.canSend(), "nothing is sent while the window is below zero");
        windows.streamUpdate(stream, 4_500);
        assertTrue(windows.canSend());
    }

    @Test
    void anInitialWindowSizeThatOverflowsAnOpenStreamMovesNoWindow() {
        SendWindows windows = new SendWindows();
        Stream near = streamWithBody(1, 1, Integer.MAX_VALUE - 100);
        Stream other = streamWithBody(3, 1, 1_000);
        Http2Exception error = assertThrows(Http2Exception.class,
                () -> windows.initialWindowChanged(200, List.of(other, near)));
        assertEquals(ErrorCode.FLOW_CONTROL_ERROR, error.errorCode());
        assertEquals(1_000, other.sendWindow, "checked before any window moved");
    }

    @Test
    void aReservationGivenBackIsTheConnectionsAgain() {
        SendWindows windows = new SendWindows();
        windows.await(streamWithBody(1, 30_000, 100_000));
        windows.reserve(new ArrayList<>());
        windows.giveBack(30_000);
        assertEquals(DEFAULT_WINDOW, windows.connectionWindow());
    }
}
