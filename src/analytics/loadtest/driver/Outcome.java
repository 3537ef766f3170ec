package analytics.loadtest.driver;

/**
 * What became of one metric the driver sent: accepted, or failed with a kind that says
 * where it failed - the server's answer ({@code status-503}), the clock ({@code timeout}),
 * the network ({@code connection}), a WebSocket close ({@code close-1011}) or a refusal
 * in a WebSocket reply ({@code rejected}).
 *
 * Pattern: errors are data with a kind, counted per kind - "12 errors" tells a student
 *          nothing; "12 × status-503" says Redis fell behind.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Threads: immutable.
 *
 * @param errorKind null when the metric was accepted
 * @param detail    what the client said, when there is more to say than the kind (the
 *                  exception of a connection error): the first of each kind is printed
 */
record Outcome(String errorKind, String detail) {

    static final Outcome ACCEPTED = new Outcome(null, null);
    static final Outcome TIMEOUT = new Outcome("timeout", null);
    static final Outcome REJECTED = new Outcome("rejected", null);
    /** HTTP/2 was asked for and the answer came over HTTP/1.1: never a silent fallback. */
    static final Outcome WRONG_PROTOCOL = new Outcome("wrong-protocol", null);

    static Outcome status(int code) {
        return new Outcome("status-" + code, null);
    }

    static Outcome closed(int code) {
        return new Outcome("close-" + code, null);
    }

    static Outcome connection(Throwable cause) {
        return new Outcome("connection", String.valueOf(cause));
    }

    boolean accepted() {
        return errorKind == null;
    }
}
