package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** §5.1's arrows, and the rule that a stream counts as live until closed and its handler done. */
class StreamStateTest {

    @Test
    void followsARequestThenItsResponse() {
        StreamState state = StreamState.IDLE.onReceiveHeaders(false);
        assertEquals(StreamState.OPEN, state);
        state = state.onReceiveEndStream();
        assertEquals(StreamState.HALF_CLOSED_REMOTE, state);
        assertFalse(state.isReceiving());
        assertEquals(StreamState.CLOSED, state.onSendEndStream());
    }

    @Test
    void followsAnEarlyAnswerThenTheRestOfTheRequest() {
        StreamState state = StreamState.OPEN.onSendEndStream();
        assertEquals(StreamState.HALF_CLOSED_LOCAL, state);
        assertTrue(state.isReceiving(), "the client may still send its body");
        assertEquals(StreamState.CLOSED, state.onReceiveEndStream());
    }

    @Test
    void opensHalfClosedWhenTheHeadersEndTheStream() {
        assertEquals(StreamState.HALF_CLOSED_REMOTE, StreamState.IDLE.onReceiveHeaders(true));
    }

    @Test
    void refusesArrowsTheRfcDoesNotDraw() {
        assertThrows(IllegalStateException.class, () -> StreamState.HALF_CLOSED_REMOTE.onReceiveEndStream());
        assertThrows(IllegalStateException.class, () -> StreamState.CLOSED.onSendEndStream());
        assertThrows(IllegalStateException.class, () -> StreamState.OPEN.onReceiveHeaders(false));
        assertThrows(IllegalStateException.class, () -> StreamState.IDLE.onReset());
    }

    /** An early 431 or 413: the writer ended and reset the stream before the client's END_STREAM. */
    @Test
    void ignoresTheClientsEndStreamAfterTheWriterAnsweredAndResetTheStream() {
        AtomicInteger live = new AtomicInteger();
        Stream stream = new Stream(1, live);
        stream.open(false);
        assertTrue(stream.arrival().state().isReceiving(), "the reader's look: DATA may come");
        assertEquals(StreamState.HALF_CLOSED_LOCAL, stream.sendEndStream()); // the writer, meanwhile
        stream.resetByUs();
        assertFalse(stream.receiveEndStream(), "ignored, not an arrow from closed");
        assertEquals(StreamState.CLOSED, stream.state());
        assertEquals(0, live.get());
    }

    @Test
    void takesTheClientsEndStreamOnAnOpenStream() {
        Stream stream = new Stream(1, new AtomicInteger());
        stream.open(false);
        assertTrue(stream.receiveEndStream());
        assertEquals(StreamState.HALF_CLOSED_REMOTE, stream.state());
    }

    @Test
    void aResetStreamStaysLiveUntilItsHandlerReturns() {
        AtomicInteger live = new AtomicInteger();
        Stream stream = new Stream(1, live);
        stream.open(true);
        stream.handlerStarted();
        stream.resetByPeer();
        assertEquals(StreamState.CLOSED, stream.state());
        assertEquals(1, live.get(), "closed, but its handler still runs (rapid reset)");
        stream.handlerFinished();
        assertEquals(0, live.get());
    }

    @Test
    void aStreamAnsweredInFullIsNoLongerLive() {
        AtomicInteger live = new AtomicInteger();
        Stream stream = new Stream(1, live);
        stream.open(true);
        stream.handlerStarted();
        stream.handlerFinished();
        assertEquals(1, live.get(), "the answer is not out yet");
        assertEquals(StreamState.CLOSED, stream.sendEndStream());
        assertEquals(0, live.get());
        assertEquals(StreamState.CLOSED, stream.sendEndStream(), "a reset that raced the last frame is no error");
    }
}
