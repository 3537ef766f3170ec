package analytics.websocket;

/**
 * What an application does with a connection: the four events of its life. System 2
 * and System 1's broadcaster each implement it; the server knows nothing of their messages.
 *
 * Pattern: callback interface separating the protocol from the application.
 * Lesson:  lessons/06-websocket-messages-and-close.md
 * Threads: every callback for one connection runs on that connection's reader thread,
 *          one at a time; different connections call in parallel.
 */
public interface WebSocketHandler {

    /** After the 101 response; a good moment to send a greeting. */
    default void onOpen(WebSocketConnection connection) {
    }

    void onText(WebSocketConnection connection, String text);

    default void onBinary(WebSocketConnection connection, byte[] data) {
    }

    /**
     * Once per connection, however it ended. {@code code} is the peer's close code, 1005
     * when its close frame had none, or 1006 when the connection ended without one.
     */
    default void onClose(WebSocketConnection connection, int code, String reason) {
    }
}
