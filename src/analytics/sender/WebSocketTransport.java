package analytics.sender;

import analytics.model.Metric;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sends metrics as System 2 producer messages ({@code {"type":"metric",...}}) over a few
 * shared WebSockets: one per 2,500 servers, at most four. Each server always uses the same
 * connection, so its metrics arrive in the order they were generated.
 *
 * Pattern: multiplexing - many logical senders over few connections; what identifies the
 *          sender is in the message (serverId), not in the socket.
 * Lesson:  lessons/14-fake-metric-servers.md
 * Not here: connecting and reconnecting (ProducerConnection).
 * Threads: send from the timer thread; each connection has its own writer.
 *
 * Each connection has its own SendBuffer, a share of FAKE_BUFFER_SIZE: a server's metrics
 * wait where they will be written, so they stay in order through an outage too.
 *
 * Why not one socket per server, as the original did: 10,000 sockets cost 10,000 handshakes,
 * buffers on both sides and, on the server, 20,000 threads; four sockets carry the same
 * 10,000 messages a second with room to spare.
 */
final class WebSocketTransport implements MetricTransport {

    static final int SERVERS_PER_CONNECTION = 2_500;
    static final int MAX_CONNECTIONS = 4;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().executor(executor).build();
    private final SendBuffer[] buffers;
    private final ProducerConnection[] connections;

    /** @param bufferSize FAKE_BUFFER_SIZE, shared evenly by the connections */
    WebSocketTransport(URI target, int serverCount, int bufferSize, SenderStats stats)
            throws InterruptedException {
        int count = Math.clamp((serverCount + SERVERS_PER_CONNECTION - 1) / SERVERS_PER_CONNECTION,
                1, MAX_CONNECTIONS);
        this.buffers = new SendBuffer[count];
        this.connections = new ProducerConnection[count];
        // One outage for all connections: System 2 going away is one event, not four.
        TargetOutage outage = new TargetOutage(target, stats, this::waiting);
        for (int i = 0; i < count; i++) {
            buffers[i] = new SendBuffer("sender-ws-" + (i + 1), Math.max(1, bufferSize / count), stats,
                    outage);
        }
        for (int i = 0; i < count; i++) {
            connections[i] = new ProducerConnection("sender-ws-" + (i + 1), target, client, buffers[i],
                    outage, stats);
        }
        for (ProducerConnection connection : connections) {
            connection.awaitFirstAttempt();
        }
    }

    @Override
    public void send(Metric metric) {
        connections[Math.floorMod(metric.serverId().hashCode(), connections.length)].offer(metric);
    }

    @Override
    public int connectionsUp() {
        int up = 0;
        for (ProducerConnection connection : connections) {
            up += connection.isUp() ? 1 : 0;
        }
        return up;
    }

    @Override
    public int buffered() {
        int waiting = 0;
        for (SendBuffer buffer : buffers) {
            waiting += buffer.size();
        }
        return waiting;
    }

    /** Buffered, and written but not yet acknowledged. */
    private int waiting() {
        int waiting = buffered();
        for (ProducerConnection connection : connections) {
            waiting += connection == null ? 0 : connection.unacknowledged();
        }
        return waiting;
    }

    /** Closes every connection with 1000 (each waits briefly for the server's Close). */
    @Override
    public void close() {
        for (ProducerConnection connection : connections) {
            connection.close();
        }
        client.shutdownNow();
        executor.shutdownNow();
    }
}
