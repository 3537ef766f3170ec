package analytics.http;

/**
 * Which protocol carried a request: HTTP/1.1, HTTP/2 begun with prior knowledge, or HTTP/2
 * begun with the HTTP/1.1 "Upgrade: h2c" request. The handler rarely cares; the ingest's
 * /stats counts requests by it, so a class can see which way its clients came in.
 *
 * Pattern: enum carrying its wire label. RFC 9113 §3.1 names "h2" for HTTP/2 over TLS and
 *          "h2c" for cleartext; every HTTP/2 here is cleartext, so the labels say which way
 *          in instead: "h2" for prior knowledge, "h2c-upgrade" for the HTTP/1.1 Upgrade.
 * Lesson:  lessons/10-stateless-http-ingest.md   Spec: RFC 9113 §3.1 ("h2", "h2c"); RFC 7540 §3.2
 * Threads: immutable.
 */
public enum Protocol {
    HTTP_1_1("http/1.1"),
    /** HTTP/2 on a connection that began with the client preface (prior knowledge). */
    H2("h2"),
    /** HTTP/2 on a connection that began as HTTP/1.1 with "Upgrade: h2c" - how java.net.http does it. */
    H2C_UPGRADE("h2c-upgrade");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    /** The name /stats and the Prometheus text use: "http/1.1", "h2", "h2c-upgrade". */
    public String label() {
        return label;
    }
}
