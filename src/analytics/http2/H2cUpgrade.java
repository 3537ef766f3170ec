package analytics.http2;

import analytics.http.Headers;
import analytics.http.RequestHead;
import analytics.http.Response;
import analytics.http2.frame.Http2Exception;
import analytics.http2.frame.SettingsFrame;
import com.eclipsesource.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The server's side of the HTTP/1.1 "Upgrade: h2c" request: decides from the request head
 * whether to switch to HTTP/2 (101, then frames), to refuse (400), or to ignore the
 * upgrade and answer as HTTP/1.1.
 *
 * RFC 9113 deprecated this way in (§3.1), but it is the only one java.net.http knows for
 * http:// URLs: it sends its first request - a POST with its body, even - as HTTP/1.1 with
 * the upgrade headers, and the answer to that request comes back on stream 1.
 *
 * Pattern: a pure function from request to outcome (sealed: NotRequested | Accept | Reject), no I/O.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 7540 §3.2, §3.2.1; RFC 9110 §7.8 (Upgrade)
 * Not here: reading the head and body (Http2Server) and serving stream 1 (Http2Connection).
 * Threads: stateless.
 */
final class H2cUpgrade {

    /** The Upgrade token for HTTP/2 over cleartext TCP. */
    static final String H2C = "h2c";
    static final String SETTINGS_FIELD = "HTTP2-Settings";
    /** Hop-by-hop fields of the upgrade request; stream 1's request does not carry them on. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "upgrade", "http2-settings",
            "keep-alive", "proxy-connection", "te", "transfer-encoding");

    private H2cUpgrade() {
    }

    sealed interface Outcome permits NotRequested, Accept, Reject {
    }

    /** No h2c upgrade asked for (or it must be ignored): answer as HTTP/1.1. */
    record NotRequested() implements Outcome {
    }

    /** Switch: write {@link #response()}, then speak HTTP/2 with these client settings in effect. */
    record Accept(List<SettingsFrame.Entry> clientSettings) implements Outcome {
        byte[] response() {
            return ("HTTP/1.1 101 Switching Protocols\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Upgrade: " + H2C + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** Refuse with this HTTP/1.1 response and close. */
    record Reject(Response response) implements Outcome {
    }

    static Outcome evaluate(RequestHead request) {
        // RFC 9110 §7.8: an Upgrade in an HTTP/1.0 request is ignored.
        if (!request.headerHasToken("Upgrade", H2C) || !request.version().equals("HTTP/1.1")) {
            return new NotRequested();
        }
        if (!request.headerHasToken("Connection", "Upgrade")
                || !request.headerHasToken("Connection", SETTINGS_FIELD)) {
            return reject("the h2c upgrade needs 'Connection: Upgrade, HTTP2-Settings'");
        }
        // RFC 7540 §3.2.1: not upgraded unless there is exactly one HTTP2-Settings field.
        List<String> values = request.headers().all(SETTINGS_FIELD);
        if (values.size() != 1) {
            return reject("the h2c upgrade needs exactly one HTTP2-Settings field, not "
                    + values.size());
        }
        byte[] payload;
        try {
            // base64url (RFC 4648 §5); the trailing '=' are meant to be left out, accepted anyway.
            payload = Base64.getUrlDecoder().decode(values.get(0).strip());
        } catch (IllegalArgumentException notBase64Url) {
            return reject("HTTP2-Settings is not base64url: " + notBase64Url.getMessage());
        }
        try {
            return new Accept(SettingsFrame.parseEntries(ByteBuffer.wrap(payload)));
        } catch (Http2Exception badSettings) {
            return reject("HTTP2-Settings: " + badSettings.getMessage());
        }
    }

    /** The upgrade request's fields as stream 1's request carries them: hop-by-hop ones dropped. */
    static Headers requestHeaders(RequestHead request) {
        Map<String, List<String>> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.headers().asMap().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                kept.put(name, values);
            }
        });
        return Headers.from(kept);
    }

    private static Reject reject(String reason) {
        return new Reject(Response.json(400,
                new JsonObject().add("error", "Bad Request").add("reason", reason)));
    }
}
