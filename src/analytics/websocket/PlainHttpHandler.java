package analytics.websocket;

import analytics.http.PlainResponse;
import analytics.http.RequestHead;

/**
 * Answers a plain HTTP request that arrives on the WebSocket port (a health check, curl),
 * so it gets an answer instead of a hang.
 *
 * Pattern: strategy for the non-upgrade path of a shared port.
 * Lesson:  lessons/04-websocket-handshake.md
 * Threads: called on the requesting connection's thread; must be thread-safe.
 */
@FunctionalInterface
public interface PlainHttpHandler {

    /** The response, or null to let the server answer 426 for "/" and 404 elsewhere. */
    PlainResponse handle(RequestHead request);
}
