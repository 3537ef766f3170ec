package analytics.websocket;

/**
 * The simplest application: every message goes back to its sender as it came, text as
 * text, binary as binary. "close:CODE:REASON" asks the server to start the close itself.
 * Interop clients (the JDK's, Python's websockets, Node's ws) check their own echo.
 *
 * Pattern: echo service, the usual peer for conformance and interop runs.
 * Lesson:  lessons/06-websocket-messages-and-close.md   Spec: RFC 6455 §5.6, §7
 * Threads: stateless; called on each connection's reader thread.
 */
final class EchoHandler implements WebSocketHandler {

    private static final String CLOSE_COMMAND = "close:";

    @Override
    public void onText(WebSocketConnection connection, String text) {
        if (text.startsWith(CLOSE_COMMAND)) {
            String[] parts = text.split(":", 3);
            int code = Integer.parseInt(parts[1]);
            for (CloseCode closeCode : CloseCode.values()) {
                if (closeCode.code() == code) {
                    connection.startClosingHandshake(closeCode, parts.length > 2 ? parts[2] : "");
                }
            }
            return;
        }
        connection.sendText(text);
    }

    @Override
    public void onBinary(WebSocketConnection connection, byte[] data) {
        connection.send(FrameEncoder.unmasked(true, Opcode.BINARY, data));
    }
}
