package analytics.websocket;

import analytics.http.Response;
import analytics.http.RequestHead;
import com.eclipsesource.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The server's side of the opening handshake: checks the client's upgrade request and
 * either accepts it (101 with Sec-WebSocket-Accept) or says why not with a status.
 *
 * Pattern: a pure function from request to outcome (sealed: Accept | Reject), no I/O.
 * Lesson:  lessons/04-websocket-handshake.md   Spec: RFC 6455 §4.2.1, §4.2.2, §4.4, §1.3
 * Not here: reading the request (RequestHead) and subprotocols/extensions (none offered).
 * Threads: stateless.
 */
public final class Handshake {

    /** §1.3: the GUID a server appends to the client's key before hashing. */
    public static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** §4.4: the only version this server speaks, sent back when a client asks for another. */
    public static final String SUPPORTED_VERSION = "13";
    private static final byte[] GUID_BYTES = WEBSOCKET_GUID.getBytes(StandardCharsets.ISO_8859_1);
    /** §4.1: the key is a base64-encoded 16-byte nonce. */
    private static final int KEY_BYTES = 16;
    /**
     * A SHA-1 digest looked up once and copied for each handshake. MessageDigest.getInstance
     * searches the security providers every time and remembers its last search in a
     * ThreadLocal - and with a virtual thread per connection, a thread-local is one more
     * object every open connection keeps for its whole life.
     */
    private static final MessageDigest SHA1 = sha1();

    private Handshake() {
    }

    public sealed interface Outcome permits Accept, Reject {
    }

    /** Switch protocols: write {@link #response()} and start speaking frames. */
    public record Accept(String acceptKey) implements Outcome {
        public byte[] response() {
            return ("HTTP/1.1 101 Switching Protocols\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + acceptKey + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** Refuse with this response and close. */
    public record Reject(Response response) implements Outcome {
    }

    /** Whether the request asks for a WebSocket at all; otherwise it is plain HTTP. */
    public static boolean isUpgradeRequest(RequestHead request) {
        return request.headerHasToken("Upgrade", "websocket");
    }

    /** @param allowedOrigins Origin values accepted; empty accepts any (and no Origin). */
    public static Outcome evaluate(RequestHead request, List<String> allowedOrigins) {
        if (!request.method().equals("GET")) {
            return reject(400, "the opening handshake must be a GET");
        }
        if (!request.version().equals("HTTP/1.1")) {
            return reject(400, "the opening handshake needs HTTP/1.1");
        }
        if (request.header("Host") == null) {
            return reject(400, "missing Host header");
        }
        if (!isUpgradeRequest(request)) {
            return reject(400, "missing 'Upgrade: websocket'");
        }
        if (!request.headerHasToken("Connection", "Upgrade")) {
            return reject(400, "missing 'Connection: Upgrade'");
        }
        String version = request.header("Sec-WebSocket-Version");
        if (!SUPPORTED_VERSION.equals(version == null ? null : version.strip())) {
            return new Reject(Response.json(426, new JsonObject().add("error", "Upgrade Required")
                            .add("reason", "Sec-WebSocket-Version 13 only"))
                    .withHeader("Sec-WebSocket-Version", SUPPORTED_VERSION));
        }
        String key = request.header("Sec-WebSocket-Key");
        if (key == null || !isValidKey(key)) {
            return reject(400, "Sec-WebSocket-Key must be 16 bytes in base64");
        }
        if (!allowedOrigins.isEmpty()) {
            String origin = request.header("Origin");
            if (origin == null || !allowedOrigins.contains(origin)) {
                return new Reject(Response.json(403,
                        new JsonObject().add("error", "Forbidden").add("reason", "origin not allowed")));
            }
        }
        return new Accept(acceptKey(key));
    }

    /** §4.2.2: base64(SHA-1(key + GUID)); RFC 6455 §1.3 gives a worked example. */
    public static String acceptKey(String key) {
        MessageDigest sha1;
        try {
            // The prototype is never updated, so any thread may copy it.
            sha1 = (MessageDigest) SHA1.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-1 can be cloned", e);
        }
        sha1.update(key.strip().getBytes(StandardCharsets.ISO_8859_1));
        return Base64.getEncoder().encodeToString(sha1.digest(GUID_BYTES));
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static boolean isValidKey(String key) {
        try {
            return Base64.getDecoder().decode(key.strip()).length == KEY_BYTES;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private static Reject reject(int status, String reason) {
        return new Reject(Response.json(status,
                new JsonObject().add("error", "Bad Request").add("reason", reason)));
    }
}
