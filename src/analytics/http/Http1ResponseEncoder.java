package analytics.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Turns a Response into HTTP/1.1 bytes - status line, Date, header fields, Content-Length, body -
 * for the servers that write HTTP/1.1 by hand: the plain-HTTP path of the WebSocket ports
 * and the HTTP/1.1 side of the h2c port. (The HTTP/1.1 ingest port has the JDK server
 * write its answers.)
 *
 * Pattern: encoder - a value in, wire bytes out, no I/O.
 * Lesson:  lessons/04-websocket-handshake.md   Spec: RFC 9112 §4 (status line), §6.2 (Content-Length)
 * Not here: chunked bodies and trailers - every answer is small and known in full.
 * Threads: stateless.
 */
public final class Http1ResponseEncoder {

    private Http1ResponseEncoder() {
    }

    /**
     * @param headRequest the request was HEAD: send Content-Length but no body (RFC 9110 §9.3.2)
     * @param close       add "Connection: close" - the server closes after writing these bytes
     */
    public static byte[] encode(Response response, boolean headRequest, boolean close) {
        byte[] body = response.body();
        StringBuilder head = new StringBuilder(128)
                .append("HTTP/1.1 ").append(response.status()).append(' ')
                .append(Response.reasonPhrase(response.status())).append("\r\n");
        if (response.headers().first("Date") == null) { // RFC 9110 §6.6.1; a handler's own stands
            head.append("Date: ").append(HttpDate.now()).append("\r\n");
        }
        for (Map.Entry<String, List<String>> field : response.headers().asMap().entrySet()) {
            for (String value : field.getValue()) {
                head.append(field.getKey()).append(": ").append(value).append("\r\n");
            }
        }
        // 1xx and 204 answers have no body and no Content-Length (RFC 9110 §8.6).
        if (response.status() >= 200 && response.status() != 204) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        int bodyLength = headRequest ? 0 : body.length;
        byte[] all = new byte[headBytes.length + bodyLength];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, bodyLength);
        return all;
    }
}
