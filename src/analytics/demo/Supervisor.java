package analytics.demo;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Starts the demo's programs layer by layer (Redis, then the systems and the dashboard,
 * then the senders), waits until each layer is ready before the next, notices when a
 * program dies on its own, and stops everything in reverse order: the senders first, so
 * no metric is sent to a system that is already gone, Redis last.
 *
 * Pattern: process supervision - ordered start with readiness, fail-fast on a crash,
 *          reverse-order graceful stop with a kill after a grace period.
 * Lesson:  lessons/16-one-command-demo.md
 * Threads: startLayer from the main thread; close() from the shutdown hook, possibly
 *          while startLayer is still running, hence synchronized.
 */
final class Supervisor implements AutoCloseable {

    private final Duration readyTimeout;
    private final Duration stopGrace;
    private final List<List<ChildProcess>> layers = new ArrayList<>();
    private final CompletableFuture<String> unexpectedExit = new CompletableFuture<>();
    private boolean stopping;

    Supervisor(Duration readyTimeout, Duration stopGrace) {
        this.readyTimeout = readyTimeout;
        this.stopGrace = stopGrace;
    }

    /**
     * Starts every program of a layer at once (their JVMs warm up in parallel), then waits
     * for each to be ready. A program that fails to start fails the whole demo.
     */
    void startLayer(List<ChildProcess> layer) throws IOException, DemoException, InterruptedException {
        synchronized (this) {
            if (stopping) {
                throw new DemoException("stopping");
            }
            layers.add(layer);
            for (ChildProcess child : layer) {
                child.start();
                child.onExit().thenRun(() -> exited(child));
            }
        }
        for (ChildProcess child : layer) {
            child.awaitReady(readyTimeout);
        }
    }

    /** True once close() has begun: from then on, programs ending is expected. */
    synchronized boolean isStopping() {
        return stopping;
    }

    /** Completes with a one-line reason when a program ends that nobody asked to stop. */
    CompletableFuture<String> unexpectedExit() {
        return unexpectedExit;
    }

    private synchronized void exited(ChildProcess child) {
        if (!stopping) {
            unexpectedExit.complete(child.name() + " " + child.howItEnded() + " unexpectedly; its last"
                    + " words: " + child.lastLogLine() + " (log: " + child.log() + ")");
        }
    }

    /** Stops the layers in reverse order; each layer is asked at once, then awaited. */
    @Override
    public void close() {
        List<List<ChildProcess>> toStop;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            toStop = new ArrayList<>(layers);
        }
        try {
            for (List<ChildProcess> layer : toStop.reversed()) {
                layer.forEach(ChildProcess::requestStop);
                for (ChildProcess child : layer) {
                    child.awaitStop(stopGrace);
                }
            }
        } catch (InterruptedException e) {
            // Interrupted mid-stop: kill what is left rather than leave orphans behind.
            toStop.forEach(layer -> layer.forEach(ChildProcess::kill));
            Thread.currentThread().interrupt();
        }
    }
}
