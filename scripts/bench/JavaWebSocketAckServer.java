import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The reference System 2's WebSocket ingest is measured against: Java-WebSocket 1.6.0 (the
 * best-known Java WebSocket library) with its default draft, parsing each text message with
 * minimal-json and answering the ack System 2 sends - {"type":"metric.ack","serverId":...}
 * with the message's "id" echoed when it has one. No validation and no aggregation: the
 * project does more per message than this, and its CPU per ack is still to be the lower.
 *
 * Pattern: a benchmark reference written to be fair, not weak - the same socket settings as
 *          System 2 (Nagle off, a backlog of 1024), the same JSON library, the same ack bytes.
 * Lesson:  lessons/19-load-testing-done-right.md (scripts/bench-vs-peers.sh runs it)
 * Spec:    docs/CONTRACT.md, System 2 WebSocket server (metric and metric.ack only)
 * Not here: registers, dashboards, snapshots, batches. Never on src/'s classpath: it is run
 *          alone, in source-file mode: `java -cp "$(./build.sh classpath bench)"
 *          scripts/bench/JavaWebSocketAckServer.java PORT`.
 * Threads: Java-WebSocket's own - one selector thread does all socket I/O, and its decoder
 *          threads (one per core) run onMessage.
 */
public final class JavaWebSocketAckServer extends WebSocketServer {

    /** Pending connections the kernel queues before accept, as System 2's server. */
    private static final int BACKLOG = 1024;
    /** What System 2 says first, so a client that waits for it works here too. */
    private static final String CONNECTION_ACK =
            "{\"type\":\"connection.ack\",\"message\":\"Connected to the reference\"}";
    private static final String INVALID_JSON =
            "{\"type\":\"error\",\"message\":\"Invalid JSON payload\"}";

    private JavaWebSocketAckServer(InetSocketAddress address) {
        super(address); // the default draft (RFC 6455) and one decoder thread per core
        setTcpNoDelay(true); // as System 2: an ack leaves when written, not after the next ACK
        setMaxPendingConnections(BACKLOG);
    }

    public static void main(String[] args) {
        if (args.length != 1 || !args[0].matches("\\d{1,5}")) {
            System.err.println(
                    "usage: java -cp CLASSPATH scripts/bench/JavaWebSocketAckServer.java PORT");
            System.exit(64);
        }
        int port = Integer.parseInt(args[0]);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        new JavaWebSocketAckServer(address).start();
        stopWithSupervisor();
    }

    @Override
    public void onOpen(WebSocket connection, ClientHandshake handshake) {
        connection.send(CONNECTION_ACK);
    }

    /** The whole of the reference's work: parse, build the ack, send it. */
    @Override
    public void onMessage(WebSocket connection, String message) {
        JsonObject metric;
        try {
            metric = Json.parse(message).asObject();
        } catch (ParseException | UnsupportedOperationException notAnObject) {
            connection.send(INVALID_JSON);
            return;
        }
        JsonValue serverId = metric.get("serverId");
        JsonObject ack = new JsonObject().add("type", "metric.ack")
                .add("serverId", serverId == null ? Json.NULL : serverId);
        JsonValue id = metric.get("id");
        if (id != null) {
            ack.add("id", id);
        }
        connection.send(ack.toString());
    }

    @Override
    public void onClose(WebSocket connection, int code, String reason, boolean remote) {
    }

    /** A connection's error ends that connection; one with no connection is the server's own. */
    @Override
    public void onError(WebSocket connection, Exception error) {
        if (connection == null) {
            System.err.println("JavaWebSocketAckServer: " + error);
            System.exit(1);
        }
    }

    @Override
    public void onStart() {
        System.out.println("JavaWebSocketAckServer: listening on 127.0.0.1:" + getPort());
    }

    /**
     * Exits once the script that started it is gone, as every program of the project does
     * (analytics.lifecycle.Startup, -Danalytics.supervisor.pid): a benchmark killed with
     * SIGKILL leaves no server behind. The JVM stays up on the server's selector thread.
     */
    private static void stopWithSupervisor() {
        String pid = System.getProperty("analytics.supervisor.pid");
        if (pid == null || pid.isBlank()) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid.strip())).ifPresentOrElse(
                supervisor -> supervisor.onExit().thenRun(() -> System.exit(0)),
                () -> System.exit(0));
    }
}
