package analytics.websocket;

import analytics.http.Handler;
import analytics.http.Http1ResponseEncoder;
import analytics.http.LingeringClose;
import analytics.http.Protocol;
import analytics.http.Request;
import analytics.http.RequestHead;
import analytics.http.Response;
import analytics.log.Log;
import analytics.log.Untrusted;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * A WebSocket server on plain JDK sockets: accepts connections, runs the opening handshake
 * (or answers plain HTTP on the same port), then hands each peer to a WebSocketConnection.
 * It also owns the heartbeat, broadcasts and graceful shutdown.
 *
 * Pattern: thread-per-connection on virtual threads - blocking code that reads top to
 *          bottom, at the cost of a few KB per connection instead of an OS thread.
 * Lesson:  lessons/04-websocket-handshake.md   Spec: RFC 6455 §4, §5.5.2, §7
 * Not here: TLS (wss://) and extensions such as permessage-deflate.
 * Threads: start and close from one thread; broadcast and connections() from any.
 */
public final class WebSocketServer implements AutoCloseable {

    /**
     * How a server behaves, as named values with defaults: start from {@link #DEFAULTS} and
     * change what differs ({@code DEFAULTS.withPort(0).withHeartbeat(...)}). Which settings
     * feed it is the composition root's business, not this package's.
     *
     * @param maxMessageBytes    largest message accepted, after reassembly (else 1009)
     * @param heartbeat          how often to ping; a peer silent for two beats is cut
     * @param allowedOrigins     Origin values accepted; empty accepts any
     * @param handshakeTimeout   a client must send its whole request head within this
     * @param outboundQueueBytes per-connection budget of queued frames (slow-consumer policy)
     * @param slowConsumerGrace  how long a connection may stay over budget before 1008
     * @param closeTimeout       how long to wait for the peer's close frame
     */
    public record Options(String bindHost, int port, int maxMessageBytes, Duration heartbeat,
                          List<String> allowedOrigins, Duration handshakeTimeout,
                          long outboundQueueBytes, Duration slowConsumerGrace, Duration closeTimeout) {

        public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
        /** 4 MiB: a few seconds of updates for a busy dashboard, small beside the heap. */
        public static final long DEFAULT_OUTBOUND_QUEUE_BYTES = 4L * 1024 * 1024;
        public static final Duration DEFAULT_SLOW_CONSUMER_GRACE = Duration.ofSeconds(5);
        public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

        /** Loopback, any free port, and the contract's defaults for WS_* settings. */
        public static final Options DEFAULTS = new Options("127.0.0.1", 0, 1_048_576,
                Duration.ofSeconds(30), List.of(), DEFAULT_HANDSHAKE_TIMEOUT,
                DEFAULT_OUTBOUND_QUEUE_BYTES, DEFAULT_SLOW_CONSUMER_GRACE, DEFAULT_CLOSE_TIMEOUT);

        public Options {
            allowedOrigins = List.copyOf(allowedOrigins);
        }

        public Options withAddress(String newBindHost, int newPort) {
            return new Options(newBindHost, newPort, maxMessageBytes, heartbeat, allowedOrigins,
                    handshakeTimeout, outboundQueueBytes, slowConsumerGrace, closeTimeout);
        }

        public Options withPort(int newPort) {
            return withAddress(bindHost, newPort);
        }

        /** The three WS_* settings of the contract together: they always travel as one. */
        public Options withMessages(int newMaxMessageBytes, Duration newHeartbeat, List<String> origins) {
            return new Options(bindHost, port, newMaxMessageBytes, newHeartbeat, origins,
                    handshakeTimeout, outboundQueueBytes, slowConsumerGrace, closeTimeout);
        }

        public Options withHandshakeTimeout(Duration timeout) {
            return new Options(bindHost, port, maxMessageBytes, heartbeat, allowedOrigins,
                    timeout, outboundQueueBytes, slowConsumerGrace, closeTimeout);
        }

        /** The slow-consumer policy: a byte budget per connection and the grace over it. */
        public Options withSlowConsumerPolicy(long queueBytes, Duration grace) {
            return new Options(bindHost, port, maxMessageBytes, heartbeat, allowedOrigins,
                    handshakeTimeout, queueBytes, grace, closeTimeout);
        }

        public Options withCloseTimeout(Duration timeout) {
            return new Options(bindHost, port, maxMessageBytes, heartbeat, allowedOrigins,
                    handshakeTimeout, outboundQueueBytes, slowConsumerGrace, timeout);
        }
    }

    private static final Log LOG = Log.get(WebSocketServer.class);
    private final String name;
    private final Options options;
    private final WebSocketHandler handler;
    private final Handler plainHttp;
    private final Set<WebSocketConnection> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder slowConsumersClosed = new LongAdder();
    private ServerSocket serverSocket;
    private volatile boolean stopping;

    /**
     * @param plainHttp answers plain HTTP requests on this port (health checks, /stats), with
     *                  the same Handler type every HTTP server of the project runs; null
     *                  answers 404 to all of them. "/" without an upgrade always gets 426.
     */
    public WebSocketServer(String name, Options options, WebSocketHandler handler, Handler plainHttp) {
        this.name = name;
        this.options = options;
        this.handler = handler;
        this.plainHttp = plainHttp;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name(name + "-timer").daemon().factory());
        // Each handshake's deadline is cancelled when the head arrives; without this, the
        // cancelled task (and the socket it holds) would wait in the queue until it was due.
        timer.setRemoveOnCancelPolicy(true);
        this.scheduler = timer;
    }

    // --- starting, and what the application asks of it -------------------------------------------

    /** Binds and starts accepting; a port in use throws java.net.BindException. */
    public WebSocketServer start() throws IOException {
        serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName(options.bindHost()), options.port()), 1024);
        long heartbeatMs = options.heartbeat().toMillis();
        scheduler.scheduleAtFixedRate(this::heartbeat, heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
        Thread.ofVirtual().name(name + "-accept").start(this::acceptLoop);
        LOG.info("websocket server listening", "server", name, "host", options.bindHost(), "port", port());
        return this;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public Options options() {
        return options;
    }

    WebSocketHandler handler() {
        return handler;
    }

    /** A copy of the open connections, taken now. */
    public Set<WebSocketConnection> connections() {
        return Set.copyOf(connections);
    }

    public int connectionCount() {
        return connections.size();
    }

    /** Messages dropped by the slow-consumer policy, all connections together. */
    public long droppedMessages() {
        return dropped.sum();
    }

    public long slowConsumersClosed() {
        return slowConsumersClosed.sum();
    }

    /** Sends one encoded frame to every connection that matches; the bytes are shared. */
    public void broadcast(byte[] encodedFrame, Predicate<WebSocketConnection> recipient) {
        for (WebSocketConnection connection : connections) {
            if (recipient.test(connection)) {
                connection.send(encodedFrame);
            }
        }
    }

    // --- accepting: a thread per connection, from its opening handshake (§4) on ------------------

    private void acceptLoop() {
        while (!stopping) {
            try {
                Socket socket = serverSocket.accept();
                Thread.ofVirtual().name(name + "-conn").start(() -> serve(socket));
            } catch (IOException e) {
                if (stopping) {
                    return;
                }
                // A lasting failure (out of file descriptors) must not spin a core: pause.
                LOG.warn("accept failed; pausing 100 ms", "server", name, "error", e.getMessage());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** One connection from its first byte to its last, on its own virtual thread. */
    private void serve(Socket socket) {
        try {
            socket.setTcpNoDelay(true); // small frames should leave now, not after 40 ms (Nagle)
            socket.setSoTimeout((int) options.handshakeTimeout().toMillis());
            // Buffered for the head, which is read a byte at a time; see HeadStream.
            HeadStream in = new HeadStream(socket.getInputStream());
            // SO_TIMEOUT bounds one read, not the whole head: a client sending a byte every
            // second would never trip it (slowloris). A timer cuts the socket at the deadline.
            ScheduledFuture<?> deadline = scheduler.schedule(() -> closeQuietly(socket),
                    options.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            RequestHead request;
            try {
                request = RequestHead.read(in);
            } finally {
                deadline.cancel(false);
            }
            if (request == null) {
                socket.close();
                return;
            }
            if (!Handshake.isUpgradeRequest(request)) {
                answerAndClose(socket, plainResponse(request), request.method().equals("HEAD"));
                return;
            }
            switch (Handshake.evaluate(request, options.allowedOrigins())) {
                case Handshake.Reject reject -> answerAndClose(socket, reject.response(), false);
                case Handshake.Accept accept -> {
                    // Registered before the 101 leaves: a client that has seen its handshake
                    // complete must not miss a broadcast sent the moment after. Frames queued
                    // meanwhile wait for the writer, which starts after the 101 is written.
                    WebSocketConnection connection = new WebSocketConnection(socket, in.handOver(), this);
                    connections.add(connection);
                    // Checked after joining the set: close() sets the flag, then closes every
                    // connection in the set, so each new one is seen by one side or the other.
                    if (stopping) {
                        unregister(connection);
                        answerAndClose(socket, Response.error(503), false);
                        return;
                    }
                    try {
                        socket.getOutputStream().write(accept.response());
                        socket.setSoTimeout(0); // from now on the heartbeat finds dead peers
                        connection.startWriter();
                    } catch (IOException | RuntimeException e) {
                        connection.terminate(); // never opened: out of the set, no onClose
                        throw e;
                    }
                    connection.readLoop(); // onOpen, the frames, onClose
                }
            }
        } catch (RequestHead.BadRequestException bad) {
            answerAndClose(socket, Response.error(bad.status()), false);
        } catch (SocketTimeoutException slow) {
            answerAndClose(socket, Response.error(408), false);
        } catch (IOException | RuntimeException e) {
            LOG.debug("connection ended during the handshake", "server", name, "error", String.valueOf(e));
            closeQuietly(socket);
        }
    }

    /**
     * A request without "Upgrade: websocket". Its body, if any, is not read: the answer
     * closes the connection, and no route of a WebSocket port takes a body.
     */
    private Response plainResponse(RequestHead head) {
        if (head.path().equals("/")) {
            return Response.json(426, "{\"error\":\"Upgrade Required\",\"reason\":\"this is a WebSocket endpoint\"}")
                    .withHeader("Upgrade", "websocket")
                    .withHeader("Sec-WebSocket-Version", Handshake.SUPPORTED_VERSION);
        }
        if (plainHttp == null) {
            return Response.error(404);
        }
        Request request = head.toRequest(Protocol.HTTP_1_1, new byte[0]);
        try {
            return plainHttp.handle(request);
        } catch (RuntimeException e) {
            LOG.error("plain HTTP handler failed", e, "server", name, "path", Untrusted.text(head.path()));
            return Response.error(500);
        }
    }

    /** The answer, then a lingering close: a body we never read must not reset it away. */
    private static void answerAndClose(Socket socket, Response response, boolean headRequest) {
        try {
            socket.getOutputStream().write(Http1ResponseEncoder.encode(response, headRequest, true));
            LingeringClose.close(socket, socket.getInputStream());
        } catch (IOException gone) {
            closeQuietly(socket); // the client is gone; nothing more to tell it
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    // --- called by the connections: the heartbeat's timer, leaving, the counts -------------------

    private void heartbeat() {
        for (WebSocketConnection connection : connections) {
            connection.heartbeat();
        }
    }

    void schedule(Runnable task, Duration delay) {
        if (!scheduler.isShutdown()) {
            scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void unregister(WebSocketConnection connection) {
        connections.remove(connection);
    }

    void countDropped() {
        dropped.increment();
    }

    void countSlowConsumerClosed() {
        slowConsumersClosed.increment();
    }

    // --- graceful shutdown: a close frame to every peer (§7.1.2), then the sockets ---------------

    /**
     * Graceful shutdown: stop accepting, send every peer a close with 1001 (going away),
     * wait up to closeTimeout for the handshakes, then cut whoever is left.
     */
    @Override
    public void close() {
        stopping = true;
        closeQuietly(serverSocket);
        for (WebSocketConnection connection : connections) {
            connection.startClosingHandshake(CloseCode.GOING_AWAY, "server shutting down");
        }
        long deadline = System.nanoTime() + options.closeTimeout().toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (WebSocketConnection connection : connections) {
            connection.terminate();
        }
        scheduler.shutdownNow();
        LOG.info("websocket server stopped", "server", name);
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // already closed
        }
    }

}
