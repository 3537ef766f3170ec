package analytics.http2;

import analytics.http.Handler;
import analytics.http.Http1ResponseEncoder;
import analytics.http.LingeringClose;
import analytics.http.Http1Server;
import analytics.http.Protocol;
import analytics.http.Request;
import analytics.http.RequestHead;
import analytics.http.Response;
import analytics.http.SafeHandler;
import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.FrameEncoder;
import analytics.http2.frame.GoAwayFrame;
import analytics.http2.frame.SettingsFrame;
import analytics.log.Log;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A cleartext HTTP/2 server (h2c) on plain JDK sockets, serving an analytics.http.Handler -
 * the same object the HTTP/1.1 port serves, with the same limits. One port takes HTTP/2
 * with prior knowledge (the client preface), the HTTP/1.1 "Upgrade: h2c" request, and
 * plain HTTP/1.1 requests (answered once, then the connection closes).
 *
 * Pattern: thread-per-connection on virtual threads, protocol detection on the first bytes;
 *          the server owns accepting, the deadlines' timer and graceful shutdown, each
 *          Http2Connection owns one peer.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §3 (starting HTTP/2), §6.8; RFC 7540 §3.2
 * Not here: TLS and ALPN (h2 over TLS), server push, CONNECT, HTTP/1.1 keep-alive and
 *           chunked request bodies on this port (answered 411).
 * Threads: start and close from one thread; everything else runs on virtual threads.
 */
public final class Http2Server implements AutoCloseable {

    /**
     * What one client may ask of the server, and how long it may take.
     *
     * @param handshakeTimeout a client must send its preface, an HTTP/1.1 request head, or a
     *                         header block in full within this (the WebSocket ports' value)
     * @param idleTimeout      a connection with no request moving and no handler running
     *                         this long gets GOAWAY and is closed
     * @param shutdownTimeout  how long close() lets streams in flight finish
     */
    public record Limits(int maxBodyBytes, int maxConcurrentStreams, int maxHeaderListBytes,
                         Duration handshakeTimeout, Duration idleTimeout, Duration shutdownTimeout) {

        /** The WebSocket ports give a client as long for its opening handshake. */
        public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
        /**
         * Twice the WebSocket heartbeat, and longer than java.net.http keeps an idle
         * connection in its pool (30 s): the client normally closes first, without a race.
         */
        public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

        /** The contract's values: 256 KiB bodies, 100 streams, 16 KiB header lists. */
        public static Limits defaults() {
            return new Limits(Http1Server.DEFAULT_MAX_BODY_BYTES, 100, 16_384,
                    HANDSHAKE_TIMEOUT, IDLE_TIMEOUT, Duration.ofSeconds(10));
        }

        public Limits withMaxBodyBytes(int bytes) {
            return new Limits(bytes, maxConcurrentStreams, maxHeaderListBytes,
                    handshakeTimeout, idleTimeout, shutdownTimeout);
        }

        public Limits withMaxConcurrentStreams(int streams) {
            return new Limits(maxBodyBytes, streams, maxHeaderListBytes,
                    handshakeTimeout, idleTimeout, shutdownTimeout);
        }

        public Limits withMaxHeaderListBytes(int bytes) {
            return new Limits(maxBodyBytes, maxConcurrentStreams, bytes,
                    handshakeTimeout, idleTimeout, shutdownTimeout);
        }

        public Limits withHandshakeTimeout(Duration timeout) {
            return new Limits(maxBodyBytes, maxConcurrentStreams, maxHeaderListBytes,
                    timeout, idleTimeout, shutdownTimeout);
        }

        public Limits withIdleTimeout(Duration timeout) {
            return new Limits(maxBodyBytes, maxConcurrentStreams, maxHeaderListBytes,
                    handshakeTimeout, timeout, shutdownTimeout);
        }

        public Limits withShutdownTimeout(Duration timeout) {
            return new Limits(maxBodyBytes, maxConcurrentStreams, maxHeaderListBytes,
                    handshakeTimeout, idleTimeout, timeout);
        }
    }

    /** Pending connections the kernel queues before accept, as the HTTP/1.1 port. */
    private static final int BACKLOG = 1024;
    /** Enough to peek at the preface and read a request head without a read per byte. */
    private static final int INPUT_BUFFER_BYTES = 16 * 1024;
    /** The deadlines are checked this often, or more often when they are short (tests). */
    private static final Duration MAX_TICK = Duration.ofSeconds(1);

    private static final Log LOG = Log.get(Http2Server.class);

    private final Limits limits;
    private final Handler handler;
    private final ServerSocket serverSocket;
    private final ScheduledExecutorService timer;
    private final Set<Http2Connection> connections = ConcurrentHashMap.newKeySet();
    /** Sockets still being sniffed or read as HTTP/1.1: close() cuts them too. */
    private final Set<Socket> starting = ConcurrentHashMap.newKeySet();
    /**
     * HTTP/1.1 requests read in full and being answered (or upgraded): close() lets them
     * finish within the shutdown budget. A socket joins the next set before it leaves the
     * last - starting, exchanges, then its connection in connections - so close() always
     * sees it in one of them.
     */
    private final Set<Socket> exchanges = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    private Http2Server(ServerSocket serverSocket, Limits limits, Handler handler) {
        this.serverSocket = serverSocket;
        this.limits = limits;
        this.handler = new SafeHandler(handler); // a bug in it is a 500, not a lost stream
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("h2-timer").daemon().factory());
    }

    // --- starting, and what the application asks of it -------------------------------------------

    /**
     * Binds {@code bindHost:port} (0 = any free port) and starts accepting.
     *
     * @throws java.net.BindException when the port is taken
     */
    public static Http2Server start(String bindHost, int port, Limits limits, Handler handler)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        Http2Server server = new Http2Server(socket, limits, handler);
        long tick = Math.max(10, Math.min(MAX_TICK.toMillis(),
                Math.min(limits.handshakeTimeout().toMillis(), limits.idleTimeout().toMillis()) / 4));
        server.timer.scheduleAtFixedRate(server::checkDeadlines, tick, tick, TimeUnit.MILLISECONDS);
        Thread.ofVirtual().name("h2-accept").start(server::acceptLoop);
        LOG.info("http/2 server listening", "host", bindHost, "port", server.port());
        return server;
    }

    /** The port actually bound; useful when 0 was asked for. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    public Limits limits() {
        return limits;
    }

    /** Open HTTP/2 connections (HTTP/1.1 exchanges on this port are not counted). */
    public int connectionCount() {
        return connections.size();
    }

    // --- accepting: sniff the preface (§3.4), or serve HTTP/1.1 and its upgrade (§3.2) -----------

    private void acceptLoop() {
        while (!stopping) {
            try {
                Socket socket = serverSocket.accept();
                Thread.ofVirtual().name("h2-conn").start(() -> serve(socket));
            } catch (IOException e) {
                if (stopping) {
                    return;
                }
                // A lasting failure (out of file descriptors) must not spin a core: pause.
                LOG.warn("accept failed; pausing 100 ms", "error", e.getMessage());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** One TCP connection: find out what it speaks, then serve it until it ends. */
    private void serve(Socket socket) {
        starting.add(socket);
        if (stopping) {
            closeQuietly(socket);
        }
        try {
            socket.setTcpNoDelay(true); // a response leaves when written, not after the next ACK
            socket.setSoTimeout((int) limits.handshakeTimeout().toMillis());
            InputStream in = new BufferedInputStream(socket.getInputStream(), INPUT_BUFFER_BYTES);
            // SO_TIMEOUT bounds one read, not the whole head: a client sending a byte a
            // second would never trip it (slowloris). The timer cuts the socket instead.
            ScheduledFuture<?> deadline = timer.schedule(() -> closeQuietly(socket),
                    limits.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            Http2Connection connection;
            try {
                connection = switch (ConnectionPreface.sniff(in)) {
                    case HTTP2 -> new Http2Connection(socket, in, this, Protocol.H2, null);
                    case HTTP1 -> serveHttp1(socket, in, deadline);
                    case INVALID -> refuseInvalidPreface(socket, in);
                    case EMPTY -> null;
                };
                if (connection != null) {
                    connections.add(connection); // before it leaves the other sets: see exchanges
                }
            } finally {
                deadline.cancel(false);
                starting.remove(socket);
                exchanges.remove(socket);
            }
            if (connection == null) {
                closeQuietly(socket);
                return;
            }
            socket.setSoTimeout(0); // from here on the connection's own deadlines apply
            // Checked after joining the set: close() sets the flag, then shuts down every
            // connection in the set, so each new one is seen by one side or the other.
            if (stopping) {
                connection.shutdown();
            }
            connection.run();
        } catch (SocketTimeoutException slow) {
            LOG.debug("client too slow to start", "error", slow.getMessage());
            closeQuietly(socket);
        } catch (IOException | RuntimeException e) {
            LOG.debug("connection ended before HTTP/2 began", "error", String.valueOf(e));
            closeQuietly(socket);
        }
    }

    /**
     * An HTTP/1.1 request: the h2c upgrade (returns the HTTP/2 connection to run) or a plain
     * request (answered here with Connection: close; returns null).
     */
    private Http2Connection serveHttp1(Socket socket, InputStream in, ScheduledFuture<?> deadline)
            throws IOException {
        RequestHead head;
        try {
            head = RequestHead.read(in);
        } catch (RequestHead.BadRequestException bad) {
            answerAndClose(socket, in, Response.error(bad.status()), false);
            return null;
        }
        if (head == null) {
            return null;
        }
        boolean headRequest = head.method().equals("HEAD");
        if (head.header("Transfer-Encoding") != null) {
            // RFC 9112 §6.3: a server may refuse a body without a length. Chunked request
            // bodies on this port would need a decoder for an HTTP/1.1 corner nobody uses here.
            answerAndClose(socket, in, Response.error(411), headRequest);
            return null;
        }
        long length = contentLength(head);
        if (length < 0) {
            answerAndClose(socket, in, Response.error(400), headRequest);
            return null;
        }
        if (length > limits.maxBodyBytes()) {
            // Not read, and no upgrade: the handler answers 413 over HTTP/1.1.
            Request tooLarge =
                    Request.bodyTooLarge(Protocol.HTTP_1_1, head.method(), head.path(), head.headers());
            answerAndClose(socket, in, handle(tooLarge), headRequest);
            return null;
        }
        Response early = beforeBody(head.toRequest(Protocol.HTTP_1_1, new byte[0]));
        if (early != null) {
            answerAndClose(socket, in, early, headRequest); // the body is drained unread
            return null;
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            return null; // closed in the middle of the body: nobody to answer
        }
        deadline.cancel(false); // the request is in; the handler may take its time
        exchanges.add(socket); // and a shutdown lets it finish, as the HTTP/1.1 port does
        starting.remove(socket);
        return switch (H2cUpgrade.evaluate(head)) {
            case H2cUpgrade.NotRequested notRequested -> {
                answerAndClose(socket, in, handle(head.toRequest(Protocol.HTTP_1_1, body)), headRequest);
                yield null;
            }
            case H2cUpgrade.Reject reject -> {
                answerAndClose(socket, in, reject.response(), headRequest);
                yield null;
            }
            case H2cUpgrade.Accept accept -> {
                socket.getOutputStream().write(accept.response());
                Request request = Request.of(Protocol.H2C_UPGRADE, head.method(), head.path(),
                        H2cUpgrade.requestHeaders(head), body);
                yield new Http2Connection(socket, in, this, Protocol.H2C_UPGRADE,
                        new Http2Connection.Upgrade(request, accept.clientSettings()));
            }
        };
    }

    /** Content-Length as a number; 0 without one; -1 when it is not a number (RFC 9112 §6.3). */
    private static long contentLength(RequestHead head) {
        List<String> values = head.headers().all("Content-Length");
        if (values.isEmpty()) {
            return 0;
        }
        try {
            long length = Long.parseLong(values.get(0).strip());
            for (String value : values) {
                if (Long.parseLong(value.strip()) != length) {
                    return -1;
                }
            }
            return length < 0 ? -1 : length;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** §3.4: a broken preface is a connection error; the server preface, then GOAWAY. */
    private Http2Connection refuseInvalidPreface(Socket socket, InputStream in) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(FrameEncoder.toBytes(new SettingsFrame(false, List.of())));
        out.write(FrameEncoder.toBytes(new GoAwayFrame(0, ErrorCode.PROTOCOL_ERROR,
                "invalid connection preface".getBytes(StandardCharsets.US_ASCII))));
        LingeringClose.close(socket, in);
        return null;
    }

    private static void answerAndClose(Socket socket, InputStream in, Response response,
                                       boolean headRequest) {
        try {
            // The encoder adds this second's Date (RFC 9110 §6.6.1), as ResponseFields does for HTTP/2.
            socket.getOutputStream().write(Http1ResponseEncoder.encode(response, headRequest, true));
            LingeringClose.close(socket, in);
        } catch (IOException gone) {
            closeQuietly(socket); // the client left; nothing more to tell it
        }
    }

    // --- called by the connections: the handler, the timer, leaving ------------------------------

    /** Runs the handler; a bug in it becomes a 500 (SafeHandler), as on the HTTP/1.1 port. */
    Response handle(Request request) {
        return handler.handle(request);
    }

    /** The handler's look at a head before its body is read. */
    Response beforeBody(Request head) {
        return handler.beforeBody(head);
    }

    /** Runs {@code task} after {@code delay}; at once when the server is already stopping. */
    void schedule(Runnable task, Duration delay) {
        try {
            timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            task.run();
        }
    }

    void unregister(Http2Connection connection) {
        connections.remove(connection);
    }

    private void checkDeadlines() {
        long now = System.nanoTime();
        for (Http2Connection connection : connections) {
            try {
                connection.checkDeadlines(now);
            } catch (RuntimeException bug) {
                LOG.error("deadline check failed", bug, "connection", connection.id());
            }
        }
    }

    // --- graceful shutdown (§6.8) ----------------------------------------------------------------

    /**
     * Graceful shutdown (§6.8): stop accepting, GOAWAY to every connection with the last
     * stream it took, let those streams finish within the shutdown budget, then close.
     */
    @Override
    public void close() {
        stopping = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket socket : starting) {
            closeQuietly(socket); // not HTTP/2 yet: nothing in flight to wait for
        }
        for (Http2Connection connection : connections) {
            connection.shutdown();
        }
        long deadline = System.nanoTime() + limits.shutdownTimeout().toNanos();
        while (System.nanoTime() < deadline && !(exchanges.isEmpty()
                && connections.stream().allMatch(Http2Connection::isQuiet))) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Socket socket : exchanges) {
            closeQuietly(socket); // over the budget; an upgrade not yet running dies with it
        }
        try (var closing = Executors.newVirtualThreadPerTaskExecutor()) { // each may wait a moment
            connections.forEach(connection -> closing.submit(connection::close));
        }
        timer.shutdownNow();
        LOG.info("http/2 server stopped", "port", port());
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
