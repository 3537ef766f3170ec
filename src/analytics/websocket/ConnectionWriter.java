package analytics.websocket;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The send side of one connection: a writer thread that exists only while frames wait in
 * the OutboundQueue. The first frame offered starts one; it writes every frame waiting,
 * batch by batch, and ends when the queue is empty. An idle connection is then one parked
 * reader - not two threads and a timer: 10,000 idle producers cost 10,000 stacks, not
 * 20,000, and no wake-ups.
 *
 * Pattern: a worker started on demand - a compare-and-set on "a writer runs" instead of a
 *          thread per connection for its lifetime; gathered writes (one socket write per
 *          batch) and write coalescing (Nagle's algorithm one level up).
 * Lesson:  lessons/06-websocket-messages-and-close.md
 * Not here: what is queued and in which order, and the slow-consumer policy (OutboundQueue);
 *           the close handshake (WebSocketConnection, told through its callbacks).
 * Threads: wake() from any thread; at most one writer thread at a time; interrupt() from
 *          the thread that closes the socket.
 */
final class ConnectionWriter {

    /** The most bytes gathered into one write; a larger frame is a write of its own. */
    private static final int GATHER_BYTES = 64 * 1024;

    /** Compare-and-set on {@code writer}: an ending writer clears only itself. */
    private static final VarHandle WRITER;
    static {
        try {
            WRITER = MethodHandles.lookup().findVarHandle(ConnectionWriter.class, "writer", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long connectionId;
    private final OutputStream out;
    private final OutboundQueue queue;
    private final BooleanSupplier open;
    private final Runnable closeFrameWritten;
    private final Runnable broken;

    /** True while a writer thread runs (or the connection is done writing for good). */
    private final AtomicBoolean writing = new AtomicBoolean();
    /** True from the 101 on: frames queued before it wait, the handshake's answer goes first. */
    private volatile boolean writable;
    /** The writer thread while one runs; interrupt() stops it. Null between writers. */
    private volatile Thread writer;
    private volatile long coalesceNanos;
    /** When the last batch was written; read and written by the one writer running. */
    private long lastWriteNanos;

    /**
     * @param out               the socket's own stream, unbuffered: each batch is gathered here
     * @param open              false once the connection is closed: the writer stops
     * @param closeFrameWritten called once our close frame is on the wire
     * @param broken            called when a write fails: the peer is gone
     */
    ConnectionWriter(long connectionId, OutputStream out, OutboundQueue queue, BooleanSupplier open,
                     Runnable closeFrameWritten, Runnable broken) {
        this.connectionId = connectionId;
        this.out = out;
        this.queue = queue;
        this.open = open;
        this.closeFrameWritten = closeFrameWritten;
        this.broken = broken;
    }

    /** Called once the 101 is on the wire: from now on frames may follow it. */
    void start() {
        writable = true;
        if (queue.hasFrames()) { // queued while the handshake's answer was being written
            wake();
        }
    }

    /**
     * Starts a writer unless one is running. Called right after every frame queued, so
     * there is something to write (or a running writer has just taken it - then the new
     * one finds the queue empty and ends at once); the compare-and-set makes sure at most
     * one writer runs at a time.
     */
    void wake() {
        if (writable && writing.compareAndSet(false, true)) {
            Thread thread = Thread.ofVirtual().name("ws-writer-" + connectionId).unstarted(this::writeLoop);
            writer = thread; // before it runs: its last act may be to clear this
            thread.start();
        }
    }

    /** See WebSocketConnection.coalesceWrites. */
    void coalesce(Duration window) {
        coalesceNanos = window.toNanos();
    }

    /** Stops a writer blocked on a socket that is being closed. */
    void interrupt() {
        Thread w = writer;
        if (w != null && w != Thread.currentThread()) {
            w.interrupt();
        }
    }

    /** Whether a writer thread is running now; for tests of the idle state. */
    boolean running() {
        Thread w = writer;
        return writing.get() && w != null && w.isAlive();
    }

    /**
     * Drains the queue, batch by batch, and ends when it is empty. The race with an offer
     * that comes as it ends: that offer saw {@code writing} still true and started nobody,
     * so after clearing the flag the writer looks at the queue once more and takes the
     * work back if it can.
     */
    private void writeLoop() {
        try {
            while (open.getAsBoolean()) {
                List<byte[]> batch = queue.takeAll(0, TimeUnit.NANOSECONDS);
                if (batch.isEmpty()) {
                    writing.set(false);
                    if (!queue.hasFrames() || !writing.compareAndSet(false, true)) {
                        // Idle: the next offer starts a new writer. An ended thread kept
                        // here would cost an idle connection half a KB for nothing; the
                        // compare-and-set leaves a writer started meanwhile in place.
                        WRITER.compareAndSet(this, Thread.currentThread(), null);
                        return;
                    }
                    continue;
                }
                long window = coalesceNanos;
                long wait = lastWriteNanos + window - System.nanoTime();
                if (window > 0 && wait > 0) {
                    // Written moments ago: let more frames gather, then write them together.
                    Thread.sleep(Duration.ofNanos(wait));
                    batch = new ArrayList<>(batch);
                    batch.addAll(queue.takeAll(0, TimeUnit.NANOSECONDS));
                }
                writeBatch(batch);
                lastWriteNanos = System.nanoTime();
                if (queue.isFinished()) {
                    closeFrameWritten.run(); // writing stays true: nothing is written after it
                    return;
                }
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            broken.run();
        }
    }

    /**
     * The batch in as few socket writes as possible: a lone frame as it is; small frames
     * copied together into one array of up to GATHER_BYTES, made for this write and
     * garbage after it, so a connection keeps no write buffer between batches.
     */
    private void writeBatch(List<byte[]> batch) throws IOException {
        if (batch.size() == 1) {
            out.write(batch.get(0));
            return;
        }
        long total = 0;
        for (byte[] frame : batch) {
            total += frame.length;
        }
        byte[] gather = new byte[(int) Math.min(total, GATHER_BYTES)];
        int used = 0;
        for (byte[] frame : batch) {
            if (used > 0 && used + frame.length > gather.length) {
                out.write(gather, 0, used);
                used = 0;
            }
            if (frame.length >= gather.length) {
                out.write(frame); // too big to gather: it is a write of its own anyway
            } else {
                System.arraycopy(frame, 0, gather, used, frame.length);
                used += frame.length;
            }
        }
        if (used > 0) {
            out.write(gather, 0, used);
        }
    }
}
