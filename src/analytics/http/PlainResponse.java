package analytics.http;

import com.eclipsesource.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small HTTP/1.1 response written by hand: status line, a few header fields, a body,
 * then the connection closes. Enough for handshake rejections and health answers.
 *
 * Pattern: value object that serialises itself to wire bytes.
 * Lesson:  lessons/04-websocket-handshake.md   Spec: RFC 9112 §4, §6
 * Not here: keep-alive and chunked bodies; every such response ends with Connection: close.
 */
public record PlainResponse(int status, String contentType, String body, Map<String, String> headers) {

    public PlainResponse {
        headers = Map.copyOf(headers);
    }

    public static PlainResponse json(int status, String body) {
        return new PlainResponse(status, "application/json", body, Map.of());
    }

    /** {"error":"<reason phrase>"}, the shape every error body of the contract has. */
    public static PlainResponse error(int status) {
        return json(status, new JsonObject().add("error", reasonPhrase(status)).toString());
    }

    public static PlainResponse text(int status, String contentType, String body) {
        return new PlainResponse(status, contentType, body, Map.of());
    }

    /** A copy with one more header field. */
    public PlainResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new PlainResponse(status, contentType, body, more);
    }

    public byte[] toBytes() {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append("HTTP/1.1 ").append(status).append(' ').append(reasonPhrase(status)).append("\r\n")
                .append("Content-Type: ").append(contentType).append("\r\n")
                .append("Content-Length: ").append(content.length).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(content, 0, all, headBytes.length, content.length);
        return all;
    }

    public static String reasonPhrase(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 426 -> "Upgrade Required";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }
}
