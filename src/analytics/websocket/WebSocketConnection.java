package analytics.websocket;

import analytics.log.Log;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open WebSocket: a reader thread that decodes frames and applies the protocol's rules,
 * a writer thread that drains the outbound queue, and the close handshake between them.
 *
 * Pattern: one virtual thread per direction; the two meet only at the OutboundQueue,
 *          so a slow peer blocks its own writer and nobody else.
 * Lesson:  lessons/06-websocket-messages-and-close.md   Spec: RFC 6455 §5.5, §7
 * States:  OPEN -> CLOSING (a close frame sent or received) -> CLOSED (socket closed).
 * Threads: send*, close and heartbeat are safe from any thread.
 */
public final class WebSocketConnection {

    public enum State { OPEN, CLOSING, CLOSED }

    private static final Log LOG = Log.get(WebSocketConnection.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final int READ_BUFFER_BYTES = 16 * 1024;
    private static final int WRITE_BUFFER_BYTES = 64 * 1024;

    private final long id = IDS.incrementAndGet();
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final WebSocketServer server;
    private final WebSocketHandler handler;
    private final FrameDecoder decoder;
    private final MessageAssembler assembler;
    private final OutboundQueue queue;

    private volatile State state = State.OPEN;
    private volatile boolean closeReceived;
    /** Set when we fail the connection (§7.1.7): close TCP right after our close frame. */
    private volatile boolean terminateAfterClose;
    private volatile boolean awaitingPong;
    private volatile int peerCloseCode = CloseCode.ABNORMAL_CLOSURE.code();
    private volatile String peerCloseReason = "";
    private final AtomicBoolean terminated = new AtomicBoolean();
    private volatile Thread writer;
    private volatile Object attachment;
    private volatile long coalesceNanos;

    WebSocketConnection(Socket socket, InputStream in, WebSocketServer server) throws IOException {
        this.socket = socket;
        this.in = in;
        // Buffered so a batch of small frames leaves in one write: one flush per batch.
        this.out = new BufferedOutputStream(socket.getOutputStream(), WRITE_BUFFER_BYTES);
        this.server = server;
        this.handler = server.handler();
        WebSocketServer.Options options = server.options();
        this.decoder = new FrameDecoder(options.maxMessageBytes(), true);
        this.assembler = new MessageAssembler(options.maxMessageBytes());
        this.queue = new OutboundQueue(options.outboundQueueBytes(), System::nanoTime);
    }

    public long id() {
        return id;
    }

    public State state() {
        return state;
    }

    public String remoteAddress() {
        return String.valueOf(socket.getRemoteSocketAddress());
    }

    /** Application state for this peer (System 2 keeps the role and filter here). */
    public Object attachment() {
        return attachment;
    }

    public void attach(Object value) {
        attachment = value;
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
        coalesceNanos = window.toNanos();
    }

    /** Starts the closing handshake (§7.1.2); the peer has closeTimeout to answer. */
    public void close(CloseCode code, String reason) {
        startClosing(code.code(), reason, false, false);
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
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        try {
            while (!terminated.get()) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                Frame frame;
                while ((frame = decoder.decode(bytes)) != null) {
                    onFrame(frame);
                }
            }
            // End of stream. A peer may half-close right after its close frame; then our
            // echo may still be queued, and the writer closes the socket once it is out.
            if (!closeReceived) {
                terminate();
            }
        } catch (WebSocketException violation) {
            LOG.debug("closing after a protocol violation", "connection", id,
                    "code", violation.closeCode().code(), "reason", violation.getMessage());
            // the writer closes the socket once our close frame is out
            startClosing(violation.closeCode().code(), violation.getMessage(), true, true);
        } catch (IOException gone) {
            terminate(); // the peer vanished or we closed the socket: nothing to answer
        }
        try {
            handler.onClose(this, peerCloseCode, peerCloseReason);
        } catch (RuntimeException bug) {
            LOG.error("onClose handler failed", bug, "connection", id);
        }
    }

    private void onFrame(Frame frame) throws WebSocketException {
        switch (frame.opcode()) {
            case PING -> queue.offerControl(FrameEncoder.unmasked(true, Opcode.PONG, frame.payload()));
            case PONG -> awaitingPong = false;
            case CLOSE -> onClose(frame.payload());
            case TEXT, BINARY, CONTINUATION -> {
                MessageAssembler.Message message = assembler.accept(frame);
                if (message != null && state == State.OPEN) { // §5.5.1: data after a close is ignored
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
        startClosing(CloseCode.INTERNAL_ERROR.code(), "internal error", true, true);
    }

    /** §5.5.1 and §7.4: an optional 2-byte code, then an optional UTF-8 reason. */
    private void onClose(byte[] payload) throws WebSocketException {
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
        closeReceived = true;
        if (state == State.OPEN) {
            // Echo the code (§5.5.1); a close without one is answered with 1000.
            int echo = code == CloseCode.NO_STATUS_RECEIVED.code() ? CloseCode.NORMAL_CLOSURE.code() : code;
            startClosing(echo, "", false, true);
        } else {
            terminate(); // it answered our close: the handshake is complete
        }
    }

    // --- the writer thread ---------------------------------------------------------------

    void startWriter() {
        writer = Thread.ofVirtual().name("ws-writer-" + id).start(this::writeLoop);
    }

    private void writeLoop() {
        long lastFlush = 0;
        try {
            while (!terminated.get()) {
                List<byte[]> batch = queue.takeAll(1, TimeUnit.SECONDS);
                long window = coalesceNanos;
                long wait = lastFlush + window - System.nanoTime();
                if (window > 0 && wait > 0 && !batch.isEmpty()) {
                    // Flushed moments ago: let more frames gather, then write them together.
                    Thread.sleep(Duration.ofNanos(wait));
                    batch = new ArrayList<>(batch);
                    batch.addAll(queue.takeAll(0, TimeUnit.NANOSECONDS));
                }
                for (byte[] frame : batch) {
                    out.write(frame);
                }
                if (!batch.isEmpty()) {
                    out.flush();
                    lastFlush = System.nanoTime();
                }
                if (queue.isFinished()) { // our close frame is on the wire
                    if (closeReceived || terminateAfterClose) {
                        terminate();
                    }
                    return; // otherwise the reader waits for the peer's close
                }
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            terminate();
        }
    }

    // --- closing ---------------------------------------------------------------------------

    /**
     * Sends our close frame once. {@code fail} means "Fail the WebSocket Connection"
     * (§7.1.7): close TCP as soon as the frame is written, without waiting for an answer.
     */
    private void startClosing(int code, String reason, boolean fail, boolean discardPending) {
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
            terminateAfterClose = fail;
        }
        if (!queue.offerLast(FrameEncoder.close(code, reason), discardPending)) {
            terminate();
            return;
        }
        // A peer that never answers (or never reads) must not hold the socket forever.
        server.schedule(this::terminate, server.options().closeTimeout());
    }

    /** The slow-consumer policy's second half: over budget for the whole grace period. */
    void enforceSlowConsumerPolicy() {
        if (state == State.OPEN && queue.overBudgetLongerThan(server.options().slowConsumerGrace().toNanos())) {
            LOG.warn("closing a slow consumer", "connection", id, "dropped", queue.dropped());
            server.countSlowConsumerClosed();
            startClosing(CloseCode.POLICY_VIOLATION.code(), "slow consumer", true, true);
        }
    }

    /** §5.5.2/§5.5.3: ping; a peer that did not answer the previous ping is dropped. */
    void heartbeat() {
        if (state != State.OPEN) {
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
        enforceSlowConsumerPolicy();
    }

    /**
     * Closes the socket, exactly once. The reader then meets the end of its stream and
     * tells the handler (onClose runs on the reader thread, never here).
     */
    void terminate() {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        state = State.CLOSED;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that is already broken: nothing left to do
        }
        Thread w = writer;
        if (w != null && w != Thread.currentThread()) {
            w.interrupt();
        }
        server.unregister(this);
    }
}
