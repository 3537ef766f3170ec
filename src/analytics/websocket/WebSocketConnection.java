package analytics.websocket;

import analytics.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One open WebSocket: a reader thread that decodes frames and applies the protocol's rules,
 * a writer that drains the outbound queue while it has frames (ConnectionWriter), and the
 * close handshake between them.
 *
 * Pattern: one virtual thread per direction; the two meet only at the OutboundQueue,
 *          so a slow peer blocks its own writer and nobody else. The close handshake is
 *          a state machine in RFC 6455 §7's terms (see State).
 * Lesson:  lessons/06-websocket-messages-and-close.md   Spec: RFC 6455 §5.5, §7
 * Not here: what the application knows of a peer; a handler keeps that in its own map,
 *          keyed by connection (System2Fanout, BroadcasterSubscriptions).
 * Threads: the reader, the writer, the server's timer (heartbeat, close timeout) and any
 *          sender move the state. Every move is one compare-and-set on one reference: of
 *          threads racing to close, exactly one queues its close frame, and the socket is
 *          closed once. That no data follows our close frame is the OutboundQueue's rule,
 *          kept under its own lock, so a send racing a close needs no lock here.
 */
public final class WebSocketConnection {

    /**
     * Where the connection is in its life, from this server's side (RFC 6455 §7).
     * Every arrow leaves OPEN once, or ends in CLOSED:
     * <pre>
     *   OPEN ── startClosingHandshake (§7.1.2) ─▶ CLOSE_SENT ── the peer's close ──────┐
     *   OPEN ── the peer's close frame (§5.5.1) ─▶ CLOSE_RECEIVED ── our echo written ─┤
     *   OPEN ── failConnection (§7.1.7) ─────────▶ FAILING ── our close written ──────┤
     *   any ── closeTimeout, end of stream, I/O error, a missed pong ─────────────────▶ CLOSED
     * </pre>
     */
    public enum State {
        /** Data flows both ways. */
        OPEN,
        /** Our close frame is queued; the peer has closeTimeout to answer with its own. */
        CLOSE_SENT,
        /** The peer's close came first; TCP closes once our echo is written (§5.5.1). */
        CLOSE_RECEIVED,
        /** We failed the connection: TCP closes once our close frame is written. */
        FAILING,
        /** The socket is closed (§7.1.4 "The WebSocket Connection is Closed"). */
        CLOSED
    }

    private static final Log LOG = Log.get(WebSocketConnection.class);
    private static final AtomicLong IDS = new AtomicLong();
    /**
     * Memory follows traffic, not connections. An idle connection holds only the small read
     * buffer its reader waits on: 10,000 idle producers must not cost 10,000 x 80 KB (what a
     * fixed 16 KB read buffer and a 64 KB write buffer per connection cost before). A read
     * that fills its buffer means more is waiting, so the next read gets a buffer twice the
     * size, up to READ_BURST_BYTES; a short read means the burst is over, and the reader
     * waits on the small one again. The send side keeps no buffer either (ConnectionWriter).
     */
    private static final int READ_IDLE_BYTES = 1024;
    private static final int READ_BURST_BYTES = 16 * 1024;

    private final long id = IDS.incrementAndGet();
    private final Socket socket;
    private final InputStream in;
    /** The reader thread's until it starts reading: see the constructor. */
    private byte[] readAhead;
    private final WebSocketServer server;
    private final WebSocketHandler handler;
    private final FrameDecoder decoder;
    private final MessageAssembler assembler;
    private final OutboundQueue queue;
    private final ConnectionWriter writer;

    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    private volatile boolean awaitingPong;
    private volatile int peerCloseCode = CloseCode.ABNORMAL_CLOSURE.code();
    private volatile String peerCloseReason = "";

    /**
     * @param readAhead bytes the handshake read past its head: the client's first frames,
     *                  decoded before the first read from the socket
     */
    WebSocketConnection(Socket socket, byte[] readAhead, WebSocketServer server) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.readAhead = readAhead;
        this.server = server;
        this.handler = server.handler();
        WebSocketServer.Options options = server.options();
        this.decoder = new FrameDecoder(options.maxMessageBytes(), true);
        this.assembler = new MessageAssembler(options.maxMessageBytes());
        this.queue = new OutboundQueue(options.outboundQueueBytes(), System::nanoTime);
        this.writer = new ConnectionWriter(id, socket.getOutputStream(), queue,
                () -> state.get() != State.CLOSED, this::ourCloseFrameWritten, this::terminate);
    }

    public long id() {
        return id;
    }

    public State state() {
        return state.get();
    }

    public String remoteAddress() {
        return String.valueOf(socket.getRemoteSocketAddress());
    }

    /** Messages dropped by the slow-consumer policy so far. */
    public long droppedMessages() {
        return queue.dropped();
    }

    public void sendText(String text) {
        send(FrameEncoder.text(text));
    }

    /**
     * Queues an encoded frame; never blocks. The same array may be handed to many
     * connections (a broadcast) - nobody writes into it after encoding.
     */
    public void send(byte[] encodedFrame) {
        if (queue.offer(encodedFrame) == OutboundQueue.Offer.DROPPED) {
            server.countDropped();
            enforceSlowConsumerPolicy();
        } else {
            writer.wake();
        }
    }

    /**
     * Write coalescing, like Nagle's algorithm one level up: after a flush, frames that
     * arrive within {@code window} wait for the end of it and leave in one write. Sparse
     * traffic is not delayed at all; a busy stream costs one syscall per window instead of
     * one per frame, for at most {@code window} of extra latency. System 2 turns it on for
     * dashboards (an update 20 ms late is invisible on a chart) and off for producers,
     * who wait for their acks.
     */
    public void coalesceWrites(Duration window) {
        writer.coalesce(window);
    }

    /**
     * §7.1.2 "Start the WebSocket Closing Handshake": our close frame goes after the data
     * already queued, and the peer has closeTimeout to answer with its own.
     */
    public void startClosingHandshake(CloseCode code, String reason) {
        leaveOpen(State.CLOSE_SENT, code.code(), reason);
    }

    /**
     * §7.1.7 "Fail the WebSocket Connection": a close frame saying why, in place of any data
     * still queued, and TCP closes as soon as it is written - no answer is awaited.
     *
     * @return false when the connection was already closing, so nothing was sent
     */
    private boolean failConnection(CloseCode code, String reason) {
        return leaveOpen(State.FAILING, code.code(), reason);
    }

    // --- the reader thread ---------------------------------------------------------------

    /**
     * The reader thread's whole life: onOpen, the frames, then onClose once the connection
     * has ended - every callback on this thread, one at a time, as WebSocketHandler promises.
     */
    void readLoop() {
        try {
            handler.onOpen(this);
        } catch (RuntimeException bug) {
            handlerFailed(bug);
        }
        byte[] idle = new byte[READ_IDLE_BYTES];
        byte[] buffer = idle;
        try {
            decodeAll(ByteBuffer.wrap(readAhead));
            readAhead = null;
            while (state.get() != State.CLOSED) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                // The decoder copies what it keeps, so the buffer is free again at once.
                decodeAll(ByteBuffer.wrap(buffer, 0, n));
                if (n < buffer.length) {
                    buffer = idle; // the burst is over: wait on the small buffer
                } else if (buffer.length < READ_BURST_BYTES) {
                    buffer = new byte[buffer.length * 2]; // full: more is waiting
                }
            }
            endOfStream();
        } catch (WebSocketException violation) {
            LOG.debug("closing after a protocol violation", "connection", id,
                    "code", violation.closeCode().code(), "reason", violation.getMessage());
            failConnection(violation.closeCode(), violation.getMessage());
        } catch (IOException gone) {
            terminate(); // the peer vanished or we closed the socket: nothing to answer
        }
        try {
            handler.onClose(this, peerCloseCode, peerCloseReason);
        } catch (RuntimeException bug) {
            LOG.error("onClose handler failed", bug, "connection", id);
        }
    }

    private void decodeAll(ByteBuffer bytes) throws WebSocketException {
        Frame frame;
        while ((frame = decoder.decode(bytes)) != null) {
            onFrame(frame);
        }
    }

    private void onFrame(Frame frame) throws WebSocketException {
        switch (frame.opcode()) {
            case PING -> {
                queue.offerControl(FrameEncoder.unmasked(true, Opcode.PONG, frame.payload()));
                writer.wake();
            }
            case PONG -> awaitingPong = false;
            case CLOSE -> closeFrameReceived(frame.payload());
            case TEXT, BINARY, CONTINUATION -> {
                MessageAssembler.Message message = assembler.accept(frame);
                if (message != null && state.get() == State.OPEN) { // §5.5.1: none after a close
                    deliver(message);
                }
            }
        }
    }

    private void deliver(MessageAssembler.Message message) {
        try {
            switch (message) {
                case MessageAssembler.Text text -> handler.onText(this, text.text());
                case MessageAssembler.Binary binary -> handler.onBinary(this, binary.data());
            }
        } catch (RuntimeException bug) {
            handlerFailed(bug);
        }
    }

    private void handlerFailed(RuntimeException bug) {
        LOG.error("handler failed; closing the connection", bug, "connection", id);
        failConnection(CloseCode.INTERNAL_ERROR, "internal error");
    }

    /** §5.5.1 and §7.4: an optional 2-byte code, then an optional UTF-8 reason. */
    private void closeFrameReceived(byte[] payload) throws WebSocketException {
        int code = CloseCode.NO_STATUS_RECEIVED.code();
        String reason = "";
        if (payload.length == 1) {
            throw WebSocketException.protocolError("close frame with a 1-byte payload");
        }
        if (payload.length >= 2) {
            code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            if (!CloseCode.isAllowedOnWire(code)) {
                throw WebSocketException.protocolError("close code " + code + " is not allowed on the wire");
            }
            byte[] text = new byte[payload.length - 2];
            System.arraycopy(payload, 2, text, 0, text.length);
            reason = MessageAssembler.decodeUtf8(text);
        }
        peerCloseCode = code;
        peerCloseReason = reason;
        // Echo the code (§5.5.1); a close without one is answered with 1000.
        int echo = code == CloseCode.NO_STATUS_RECEIVED.code() ? CloseCode.NORMAL_CLOSURE.code() : code;
        if (!leaveOpen(State.CLOSE_RECEIVED, echo, "")) {
            terminate(); // it answered our close (or we are failing it): the handshake is over
        }
    }

    /** The peer closed its side of TCP: what that means depends on how far the close got. */
    private void endOfStream() {
        switch (state.get()) {
            // A peer may half-close right after its close frame; our echo may still be
            // queued, and the writer closes the socket once it is out.
            case CLOSE_RECEIVED -> { }
            case OPEN, CLOSE_SENT, FAILING -> terminate(); // gone without (answering) a close
            case CLOSED -> { }
        }
    }

    // --- the writer (ConnectionWriter) ----------------------------------------------------

    /** Called once the 101 is on the wire: from now on frames may follow it. */
    void startWriter() {
        writer.start();
    }

    /** Whether a writer thread is running now; for tests of the idle state. */
    boolean writerRunning() {
        return writer.running();
    }

    // --- closing ---------------------------------------------------------------------------

    /**
     * The one way out of OPEN: moves to {@code next} and queues our close frame, unless
     * another thread left OPEN first (then this call does nothing and returns false).
     */
    private boolean leaveOpen(State next, int code, String reason) {
        if (!state.compareAndSet(State.OPEN, next)) {
            return false;
        }
        boolean discardPending = switch (next) {
            case CLOSE_SENT -> false; // a polite close: the data queued before it goes first
            // The peer reads no more data (§5.5.1), and a peer being failed - a slow consumer,
            // say - learns why now rather than after its whole backlog.
            case CLOSE_RECEIVED, FAILING -> true;
            case OPEN, CLOSED -> throw new IllegalArgumentException("not a closing state: " + next);
        };
        if (!queue.offerLast(FrameEncoder.close(code, reason), discardPending)) {
            terminate();
            return true;
        }
        writer.wake();
        // A peer that never answers (or never reads) must not hold the socket forever.
        server.schedule(this::terminate, server.options().closeTimeout());
        return true;
    }

    /** The writer's last act: our close frame is on the wire. */
    private void ourCloseFrameWritten() {
        switch (state.get()) {
            // §5.5.1: "The server MUST close the underlying TCP connection immediately"
            // once both close frames are exchanged; §7.1.7: a failed one closes at once.
            case CLOSE_RECEIVED, FAILING -> terminate();
            case CLOSE_SENT -> { } // the reader waits for the peer's close frame
            case OPEN, CLOSED -> { } // OPEN cannot be: our close frame left it
        }
    }

    /** The slow-consumer policy's second half: over budget for the whole grace period. */
    void enforceSlowConsumerPolicy() {
        if (state.get() == State.OPEN
                && queue.overBudgetLongerThan(server.options().slowConsumerGrace().toNanos())
                && failConnection(CloseCode.POLICY_VIOLATION, "slow consumer")) {
            LOG.warn("closing a slow consumer", "connection", id, "dropped", queue.dropped());
            server.countSlowConsumerClosed();
        }
    }

    /** §5.5.2/§5.5.3: ping; a peer that did not answer the previous ping is dropped. */
    void heartbeat() {
        if (state.get() != State.OPEN) {
            return;
        }
        if (awaitingPong) {
            LOG.debug("no pong since the last ping; terminating", "connection", id);
            terminate();
            return;
        }
        awaitingPong = true;
        byte[] payload = Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII);
        queue.offerControl(FrameEncoder.unmasked(true, Opcode.PING, payload));
        writer.wake();
        enforceSlowConsumerPolicy();
    }

    /**
     * Closes the socket, exactly once. The reader then meets the end of its stream and
     * tells the handler (onClose runs on the reader thread, never here).
     */
    void terminate() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that is already broken: nothing left to do
        }
        writer.interrupt();
        server.unregister(this);
    }
}
