package analytics.websocket;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/**
 * A listener for the JDK's WebSocket client (java.net.http) that hands over whole text
 * messages. The JDK may deliver one message in several parts - {@code last} false until the
 * final one - when it was sent in fragments or is longer than the client's buffer; every
 * client here reads JSON, which needs the whole text. The next message is asked for
 * (request(1)) only once this one has been handled, so the parts of two never mix.
 *
 * Pattern: template method - the JDK's callback protocol (parts, demand) here; what to do
 *          with a message, in the subclass.
 * Lesson:  lessons/06-websocket-messages-and-close.md (fragmentation, seen from a client)
 * Not here: the server's own reassembly (MessageAssembler).
 * Threads: the JDK calls onText for one WebSocket one call at a time.
 */
public abstract class WholeTextListener implements WebSocket.Listener {

    private final StringBuilder parts = new StringBuilder();

    @Override
    public final CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (last && parts.isEmpty()) {
            onMessage(webSocket, data.toString()); // the usual case: the message came whole
        } else {
            parts.append(data);
            if (last) {
                String message = parts.toString();
                parts.setLength(0);
                onMessage(webSocket, message);
            }
        }
        webSocket.request(1);
        return null;
    }

    /** One whole text message, on the JDK's listener thread. */
    protected abstract void onMessage(WebSocket webSocket, String text);
}
