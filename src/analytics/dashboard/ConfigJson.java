package analytics.dashboard;

import analytics.config.Config;
import com.eclipsesource.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds /config.json: where the page finds each system's WebSocket and /stats, so the
 * ports live in one place (the environment) and the page hard-codes none of them.
 *
 * Pattern: configuration handed down to the client - the server knows the ports, the
 *          browser knows which host name reached us; the document combines the two.
 * Lesson:  lessons/15-the-dashboard-page.md   Spec: RFC 9110 §7.2 (Host)
 * Not here: a reverse proxy's ports (X-Forwarded-Host, Forwarded) - see the lesson.
 * Threads: immutable; called concurrently.
 */
final class ConfigJson {

    /** Used when the request has no usable Host field (HTTP/1.0, or a hostile value). */
    static final String FALLBACK_HOST = "localhost";

    /**
     * A host name or IPv4 address, or a bracketed IPv6 literal, then an optional port.
     * Anything else falls back, so a forged Host can never shape the URLs we write.
     */
    private static final Pattern HOST = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]{2,45}]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))(?::[0-9]{1,5})?");

    private final int system1HttpPort;
    private final int system1WsPort;
    private final int system2WsPort;

    ConfigJson(Config config) {
        this.system1HttpPort = config.system1().httpPort();
        this.system1WsPort = config.system1().wsPort();
        this.system2WsPort = config.system2().wsPort();
    }

    /**
     * The host the browser used, without its port. Why not BIND_HOST: it may be 0.0.0.0
     * (Docker), which no browser can connect to, and 127.0.0.1 vs localhost matters to
     * an Origin allow-list. Why not a fixed name: a page opened from another machine
     * must reach the systems on the machine that served it, not its own localhost.
     */
    static String hostOf(String hostHeader) {
        if (hostHeader == null) {
            return FALLBACK_HOST;
        }
        Matcher m = HOST.matcher(hostHeader.strip());
        return m.matches() ? m.group(1) : FALLBACK_HOST;
    }

    /**
     * The contract's System 1 stats live on the ingest port; the broadcaster's (dashboards,
     * dropped updates) on its WebSocket port, so System 1 gets one URL more than System 2,
     * where one port answers everything.
     */
    JsonObject forHost(String hostHeader) {
        String host = hostOf(hostHeader);
        return new JsonObject()
                .add("system1", new JsonObject()
                        .add("wsUrl", "ws://" + host + ":" + system1WsPort)
                        .add("statsUrl", "http://" + host + ":" + system1HttpPort + "/stats")
                        .add("broadcasterStatsUrl", "http://" + host + ":" + system1WsPort + "/stats"))
                .add("system2", new JsonObject()
                        .add("wsUrl", "ws://" + host + ":" + system2WsPort)
                        .add("statsUrl", "http://" + host + ":" + system2WsPort + "/stats"));
    }
}
