package analytics.loadtest.driver;

import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Closes many WebSockets the polite way, all at once: a Close frame with 1000 on each,
 * a short wait for them to leave, then the sockets are dropped. A load test that just cut
 * 100 connections would fill the servers' logs with abnormal closes (1006) after every run.
 *
 * Pattern: the closing handshake, bounded in time.
 * Lesson:  lessons/19-load-testing-done-right.md   Spec: RFC 6455 §7.1.2, §7.4.1 (1000)
 * Threads: the caller's.
 */
final class Goodbye {

    private static final long WAIT_MILLIS = 2_000;

    private Goodbye() {
    }

    static void all(List<WebSocket> sockets, String reason) {
        CompletableFuture<?>[] sent = sockets.stream()
                .map(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, reason))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(sent).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // some were already gone or stuck: dropped below either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sockets.forEach(WebSocket::abort);
    }
}
