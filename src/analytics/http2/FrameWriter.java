package analytics.http2;

import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.Frame;
import analytics.http2.frame.FrameDecoder;
import analytics.http2.frame.FrameEncoder;
import analytics.http2.frame.GoAwayFrame;
import analytics.http2.frame.Http2Exception;
import analytics.http2.frame.RstStreamFrame;
import analytics.http2.frame.Settings;
import analytics.http2.frame.SettingsFrame;
import analytics.http2.hpack.HeaderField;
import analytics.http2.hpack.HpackEncoder;
import analytics.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a connection: every frame we send goes through it. It takes whatever
 * is queued - control frames, new responses, DATA that a window now allows - encodes all
 * of it into one buffer and hands that to the socket in one write. Ten small responses
 * that finish together leave in one system call.
 *
 * It also keeps the sending side of flow control (§6.9, SendWindows) under its lock: a
 * response body waits here while a window is closed. And it owns the HPACK encoder, whose
 * dynamic table must change in exactly the order the peer decodes our header blocks.
 *
 * Pattern: single writer with write coalescing; producers (reader, handlers) queue under
 *          a lock and never touch the socket. Nagle's idea, one level up, without a timer.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §5.2, §6.9, §6.9.2, §4.3 (HPACK order)
 * Not here: deciding what to send (the connection and the handlers decide), priorities
 *           (deprecated, §5.3.2: streams are served in the order their responses arrive).
 * Threads: the queueing methods are safe from any thread; the loop runs on its own virtual thread.
 */
final class FrameWriter {

    /** One write per batch, so this is also the most a batch writes before flushing. */
    static final int WRITE_BUFFER_BYTES = 64 * 1024;
    /**
     * Control frames (ACKs, resets, window updates) waiting for a writer blocked by a peer
     * that does not read. More than this and the peer is flooding us (CVE-2019-9512/9515).
     */
    static final int MAX_QUEUED_CONTROL_FRAMES = 1024;

    private static final Log LOG = Log.get(FrameWriter.class);

    private enum State {
        RUNNING,
        /** Write what is queued (and what windows allow), then half-close: graceful end. */
        FINISHING,
        /** A final GOAWAY is queued; everything else was dropped. */
        LAST_FRAME_QUEUED,
        STOPPED
    }

    /** The HPACK encoder's output, readable without the copy toByteArray() makes. */
    private static final class BlockBuffer extends ByteArrayOutputStream {
        byte[] array() {
            return buf;
        }
    }

    private final long connectionId;
    private final Socket socket;
    private final OutputStream out;
    private final ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER_BYTES);
    private final HpackEncoder hpack = new HpackEncoder();
    private final BlockBuffer block = new BlockBuffer();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    // --- guarded by lock --------------------------------------------------------------------
    private final ArrayDeque<Frame> controlFrames = new ArrayDeque<>();
    private final ArrayDeque<Stream> newResponses = new ArrayDeque<>();
    private final SendWindows windows = new SendWindows();
    /** The client's SETTINGS as applied so far (§6.5.3). */
    private Settings peer = Settings.INITIAL;
    /** A new SETTINGS_HEADER_TABLE_SIZE for the encoder, applied before the next block; -1: none. */
    private int pendingHeaderTableSize = -1;
    /**
     * The smallest SETTINGS_HEADER_TABLE_SIZE since the last batch: RFC 7541 §4.2 wants it
     * signalled before the final one (0 then 4096 must evict, then grow), so both reach
     * the encoder, which announces both in its next block.
     */
    private int smallestHeaderTableSize = -1;
    private boolean windowOpened;
    private State state = State.RUNNING;

    // --- the writer thread's scratch lists, reused batch after batch -------------------------
    private final ArrayList<Frame> batchFrames = new ArrayList<>();
    private final ArrayList<Stream> batchHeaders = new ArrayList<>();
    private final ArrayList<SendWindows.Chunk> batchChunks = new ArrayList<>();

    FrameWriter(long connectionId, Socket socket) throws IOException {
        this.connectionId = connectionId;
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    void start() {
        Thread.ofVirtual().name("h2-writer-" + connectionId).start(this::run);
    }

    // --- queueing: any thread ----------------------------------------------------------------

    /** Queues a control frame; false when too many are already waiting (a flood). */
    boolean offerControl(Frame frame) {
        lock.lock();
        try {
            if (state == State.LAST_FRAME_QUEUED || state == State.STOPPED) {
                return true; // nothing more goes out; not the peer's fault
            }
            if (controlFrames.size() >= MAX_QUEUED_CONTROL_FRAMES) {
                return false;
            }
            controlFrames.add(frame);
            workArrived.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A handler's answer; HEADERS go out in the next batch, DATA as the windows allow. */
    void respond(Stream stream, List<HeaderField> fields, byte[] body) {
        lock.lock();
        try {
            if (state == State.RUNNING || state == State.FINISHING) {
                stream.responseFields = fields;
                stream.responseBody = body;
                newResponses.add(stream);
                workArrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A new stream starts with the peer's current SETTINGS_INITIAL_WINDOW_SIZE to send with. */
    void register(Stream stream) {
        lock.lock();
        try {
            stream.sendWindow = peer.initialWindowSize(); // §6.9.2
        } finally {
            lock.unlock();
        }
    }

    /** The stream was reset: drop what it still had to send. */
    void forget(Stream stream) {
        lock.lock();
        try {
            windows.forget(stream);
        } finally {
            lock.unlock();
        }
    }

    /** §6.9.1: WINDOW_UPDATE on stream 0; past 2^31-1 is a connection error. */
    void connectionWindowUpdate(int increment) throws Http2Exception {
        lock.lock();
        try {
            windows.connectionUpdate(increment);
            windowOpened();
        } finally {
            lock.unlock();
        }
    }

    /** §6.9.1: WINDOW_UPDATE on a stream; past 2^31-1 is a stream error. */
    void streamWindowUpdate(Stream stream, int increment) throws Http2Exception {
        lock.lock();
        try {
            windows.streamUpdate(stream, increment);
            windowOpened();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies the peer's SETTINGS (§6.5.3) and, when {@code acknowledge}, queues the ACK
     * behind them. A new INITIAL_WINDOW_SIZE moves every open stream's window by the
     * difference, possibly below zero (§6.9.2). We never push, so never open a stream
     * (MAX_CONCURRENT_STREAMS, ENABLE_PUSH do not concern us), and our header lists are a
     * handful of fields (MAX_HEADER_LIST_SIZE is advisory). Returns false on an ACK flood.
     */
    boolean applySettings(SettingsFrame frame, Iterable<Stream> streams, boolean acknowledge)
            throws Http2Exception {
        lock.lock();
        try {
            Settings next = peer.with(frame);
            long delta = (long) next.initialWindowSize() - peer.initialWindowSize();
            if (delta != 0) {
                windows.initialWindowChanged(delta, streams);
            }
            if (next.headerTableSize() != peer.headerTableSize()) {
                pendingHeaderTableSize = next.headerTableSize();
                smallestHeaderTableSize = smallestHeaderTableSize < 0 ? pendingHeaderTableSize
                        : Math.min(smallestHeaderTableSize, pendingHeaderTableSize);
            }
            peer = next;
            windowOpened();
        } finally {
            lock.unlock();
        }
        return !acknowledge || offerControl(SettingsFrame.ACKNOWLEDGEMENT);
    }

    /** Connection error: this GOAWAY is the last frame; everything not yet written is dropped. */
    void goAwayAndStop(GoAwayFrame goAway) {
        lock.lock();
        try {
            if (state == State.LAST_FRAME_QUEUED || state == State.STOPPED) {
                return;
            }
            newResponses.clear();
            windows.clear();
            controlFrames.add(goAway);
            state = State.LAST_FRAME_QUEUED;
            workArrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Graceful end: write what is queued, then half-close the socket and stop. */
    void finish() {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                state = State.FINISHING;
                workArrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stop now; the connection closes the socket, which ends a write blocked on it. */
    void stop() {
        lock.lock();
        try {
            state = State.STOPPED;
            workArrived.signal();
        } finally {
            lock.unlock();
        }
    }

    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void windowOpened() {
        windowOpened = true;
        workArrived.signal();
    }

    // --- the writer thread -------------------------------------------------------------------

    private void run() {
        try {
            while (writeBatch()) {
                // one batch per turn: take what is queued, write it with one flush
            }
            if (!isStopped()) {
                socket.shutdownOutput(); // FIN after our last frame: the peer reads it all, then EOF
            } // else the connection has closed the socket, or is closing it: no FIN to send
            LOG.debug("writer stopped", "connection", connectionId);
        } catch (IOException gone) {
            if (socket.isClosed()) {
                // The connection closed it under a write (the client left, or a deadline
                // passed): the usual end, not a failure.
                LOG.debug("writer stopped", "connection", connectionId);
            } else {
                LOG.debug("writer stopped: the socket failed", "connection", connectionId,
                        "error", gone.getMessage());
                closeQuietly();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException bug) {
            // Our own bug; the HPACK table may be out of step. A connection whose writer is
            // gone would take streams and never answer them: close it, the reader follows.
            LOG.error("bug: writer failed; closing the connection", bug, "connection", connectionId);
            closeQuietly();
        } finally {
            lock.lock();
            try {
                state = State.STOPPED;
            } finally {
                lock.unlock();
            }
            stopped.countDown();
        }
    }

    private boolean isStopped() {
        lock.lock();
        try {
            return state == State.STOPPED;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for work, takes all of it under the lock, writes it without. False when done. */
    private boolean writeBatch() throws IOException, InterruptedException {
        boolean last;
        int frameLimit;
        lock.lock();
        try {
            while (state == State.RUNNING && controlFrames.isEmpty() && newResponses.isEmpty()
                    && !(windowOpened && windows.canSend())) {
                workArrived.await();
            }
            if (state == State.STOPPED) {
                return false;
            }
            batchFrames.addAll(controlFrames);
            controlFrames.clear();
            batchHeaders.addAll(newResponses);
            newResponses.clear();
            if (pendingHeaderTableSize >= 0) {
                hpack.setMaxTableSize(smallestHeaderTableSize);
                hpack.setMaxTableSize(pendingHeaderTableSize);
                pendingHeaderTableSize = -1;
                smallestHeaderTableSize = -1;
            }
            // A frame never outgrows our buffer, even if the peer allows 16 MiB frames.
            frameLimit = Math.min(peer.maxFrameSize(), WRITE_BUFFER_BYTES - FrameDecoder.HEADER_LENGTH);
            for (Stream stream : batchHeaders) {
                windows.await(stream);
            }
            windows.reserve(batchChunks);
            windowOpened = false;
            last = state == State.LAST_FRAME_QUEUED
                    || (state == State.FINISHING && (windows.nothingWaiting() || !windows.canSend()));
        } finally {
            lock.unlock();
        }
        for (Frame frame : batchFrames) {
            ensureRoom(FrameEncoder.encodedLength(frame));
            FrameEncoder.write(buffer, frame);
            logOut(frame);
        }
        for (Stream stream : batchHeaders) {
            writeHeaders(stream, frameLimit);
        }
        for (SendWindows.Chunk chunk : batchChunks) {
            writeData(chunk, frameLimit);
        }
        batchFrames.clear();
        batchHeaders.clear();
        batchChunks.clear();
        flush();
        return !last;
    }

    /** HEADERS, and CONTINUATION when the block is longer than the peer's frame size. */
    private void writeHeaders(Stream stream, int frameLimit) throws IOException {
        if (stream.isClosed()) {
            return; // reset before we answered; never encoded, so the HPACK tables stay in step
        }
        block.reset();
        try {
            hpack.encode(stream.responseFields, block);
        } catch (IllegalArgumentException unencodable) {
            // A handler's header that HPACK cannot carry (a char above U+00FF). The encoder
            // wrote nothing and left its table alone, so only this stream is lost.
            LOG.error("bug: response headers cannot be encoded", unencodable,
                    "connection", connectionId, "stream", stream.id);
            RstStreamFrame reset = new RstStreamFrame(stream.id, ErrorCode.INTERNAL_ERROR);
            ensureRoom(FrameEncoder.encodedLength(reset));
            FrameEncoder.write(buffer, reset);
            logOut(reset);
            stream.resetByUs();
            forget(stream);
            return;
        }
        byte[] bytes = block.array();
        int length = block.size();
        boolean endStream = stream.responseBody.length == 0;
        int first = Math.min(length, frameLimit);
        ensureRoom(FrameDecoder.HEADER_LENGTH + first);
        FrameEncoder.writeHeaders(buffer, stream.id, endStream, first == length, bytes, 0, first);
        if (LOG.isEnabled(Log.Level.DEBUG)) {
            LOG.debug("frame out", "connection", connectionId,
                    "frame", "HEADERS stream=" + stream.id + " block=" + length
                            + (endStream ? " END_STREAM" : ""),
                    "fields", stream.responseFields);
        }
        for (int offset = first; offset < length; ) {
            int n = Math.min(length - offset, frameLimit);
            ensureRoom(FrameDecoder.HEADER_LENGTH + n);
            FrameEncoder.writeContinuation(buffer, stream.id, offset + n == length, bytes, offset, n);
            offset += n;
        }
        if (endStream) {
            ended(stream);
        }
    }

    private void writeData(SendWindows.Chunk chunk, int frameLimit) throws IOException {
        Stream stream = chunk.stream();
        if (stream.isClosed()) {
            giveBack(chunk.length()); // reset meanwhile: the connection window was not used after all
            return;
        }
        int end = chunk.offset() + chunk.length();
        for (int offset = chunk.offset(); offset < end; ) {
            int n = Math.min(end - offset, frameLimit);
            boolean endStream = chunk.last() && offset + n == end;
            ensureRoom(FrameDecoder.HEADER_LENGTH + n);
            FrameEncoder.writeData(buffer, stream.id, endStream, stream.responseBody, offset, n);
            if (LOG.isEnabled(Log.Level.DEBUG)) {
                LOG.debug("frame out", "connection", connectionId, "frame",
                        "DATA stream=" + stream.id + " length=" + n + (endStream ? " END_STREAM" : ""));
            }
            offset += n;
        }
        if (chunk.last()) {
            ended(stream);
        }
    }

    /**
     * Our END_STREAM is out. If the client is still sending (we answered early: 413, 431),
     * §8.1 lets us ask it to stop without error: RST_STREAM NO_ERROR.
     */
    private void ended(Stream stream) throws IOException {
        if (stream.sendEndStream() == StreamState.HALF_CLOSED_LOCAL) {
            RstStreamFrame reset = new RstStreamFrame(stream.id, ErrorCode.NO_ERROR);
            ensureRoom(FrameEncoder.encodedLength(reset));
            FrameEncoder.write(buffer, reset);
            logOut(reset);
            stream.resetByUs();
        }
    }

    private void giveBack(int bytes) {
        lock.lock();
        try {
            windows.giveBack(bytes);
        } finally {
            lock.unlock();
        }
    }

    private void ensureRoom(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }

    private void flush() throws IOException {
        if (buffer.position() > 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }

    private void logOut(Frame frame) {
        if (LOG.isEnabled(Log.Level.DEBUG)) {
            LOG.debug("frame out", "connection", connectionId, "frame", frame.toString());
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed: nothing left to release
        }
    }
}
