package analytics.faults;

import analytics.retry.Backoff;
import analytics.websocket.WholeTextListener;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A dashboard as the page behaves, without the page: it connects, says hello (asks for a
 * snapshot, subscribes), and when the connection drops it reconnects with backoff and says
 * hello again. It notes what the report needs: when it got back, when its first snapshot
 * and first push after a fault arrived, and which servers it has heard of since.
 *
 * Pattern: reconnect with backoff, then resynchronise with a snapshot - a live view that
 *          survives a restart of its server without the user pressing reload.
 * Lesson:  lessons/20-faults-and-floods.md
 * Not here: the real page's own reconnect (dashboard/, tested in Chromium).
 * Threads: one virtual thread keeps the connection; the JDK's WebSocket threads deliver
 *          messages; mark() and the getters from the campaign's main thread.
 */
final class FollowingDashboard implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final URI uri;
    private final List<String> hello;
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicLong markNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong firstSnapshotAfterMark = new AtomicLong();
    private final AtomicLong firstPushAfterMark = new AtomicLong();
    private final Set<String> serversSinceMark = ConcurrentHashMap.newKeySet();
    private final String pushType;
    private volatile WebSocket socket;
    /** When the current connection opened: only connections opened after the mark count. */
    private volatile long connectedAt;
    private Thread keeper;

    /**
     * @param hello    the messages sent on every (re)connect, in order
     * @param pushType the live message to wait for: metric.processed or metric.update
     */
    FollowingDashboard(URI uri, List<String> hello, String pushType) {
        this.uri = uri;
        this.hello = List.copyOf(hello);
        this.pushType = pushType;
    }

    FollowingDashboard start() {
        keeper = Thread.ofVirtual().name("dashboard-" + uri.getPort()).start(this::keepConnected);
        return this;
    }

    private void keepConnected() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        while (running.get()) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            try {
                WebSocket ws = client.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
                        .buildAsync(uri, new Listener(closed)).get(5, TimeUnit.SECONDS);
                socket = ws;
                connectedAt = System.nanoTime();
                connects.incrementAndGet();
                backoff.reset();
                for (String message : hello) {
                    ws.sendText(message, true).get(5, TimeUnit.SECONDS);
                }
                closed.get(); // until the server goes away (or close() ends it)
            } catch (InterruptedException e) {
                return;
            } catch (Exception refusedOrDropped) {
                // the server is down or restarting: wait, then try again
            }
            try {
                Thread.sleep(backoff.next());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private final class Listener extends WholeTextListener {

        private final CompletableFuture<Void> closed;

        Listener(CompletableFuture<Void> closed) {
            this.closed = closed;
        }

        @Override
        protected void onMessage(WebSocket webSocket, String text) {
            heard(text);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(null);
        }
    }

    private void heard(String text) {
        if (connectedAt < markNanos.get()) {
            return; // still the connection from before the fault (or its last messages)
        }
        JsonObject message = Json.parse(text).asObject();
        String type = message.getString("type", "");
        if (type.equals("snapshot")) {
            firstSnapshotAfterMark.compareAndSet(0, System.nanoTime());
        } else if (type.equals(pushType)) {
            firstPushAfterMark.compareAndSet(0, System.nanoTime());
            JsonValue payload = message.get("payload");
            if (payload != null && payload.isObject()) {
                serversSinceMark.add(payload.asObject().getString("serverId", ""));
            }
        }
    }

    /**
     * From now on, note the first snapshot, the first push and the servers heard of - on
     * connections opened after this moment, so nothing still in flight from before counts.
     */
    void mark() {
        firstSnapshotAfterMark.set(0);
        firstPushAfterMark.set(0);
        serversSinceMark.clear();
        markNanos.set(System.nanoTime());
    }

    /** When (System.nanoTime()) the first snapshot after the mark came; 0 when none did. */
    long firstSnapshotAt() {
        return firstSnapshotAfterMark.get();
    }

    /** When the first live push after the mark came; 0 when none did. */
    long firstPushAt() {
        return firstPushAfterMark.get();
    }

    int serversSinceMark() {
        return serversSinceMark.size();
    }

    int connects() {
        return connects.get();
    }

    @Override
    public void close() {
        running.set(false);
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        keeper.interrupt();
        try {
            keeper.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.shutdownNow();
    }
}
