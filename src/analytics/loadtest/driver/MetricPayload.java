package analytics.loadtest.driver;

import java.util.Locale;

/**
 * The metric the driver sends as its {@code seq}-th: a valid metric of the contract from
 * one of {@code servers} simulated servers ({@code load-0}, {@code load-1}, ...), so the
 * systems aggregate a fleet, not one hot key. Over WebSocket it is a producer message with
 * an {@code id} the ack echoes, so each ack is matched to its own send.
 *
 * Pattern: a deterministic workload - the same seq always gives the same metric, so two
 *          runs send the same bytes; text built by hand because at 10,000/s the JSON
 *          library's object tree would cost the driver more than the server.
 * Lesson:  lessons/19-load-testing-done-right.md   Contract: docs/CONTRACT.md, "The metric"
 * Threads: stateless.
 */
final class MetricPayload {

    private final int servers;

    MetricPayload(int servers) {
        this.servers = servers;
    }

    String serverId(long seq) {
        return "load-" + Math.floorMod(seq, servers);
    }

    /** The body of {@code POST /metrics}; HTTP refuses unknown top-level fields, so no id. */
    String httpBody(long seq, long timestampMillis) {
        return "{\"serverId\":\"" + serverId(seq) + "\",\"timestamp\":" + timestampMillis
                + ",\"metrics\":" + metrics(seq) + "}";
    }

    /** A System 2 producer message; its ack comes back as {"type":"metric.ack",...,"id":seq}. */
    String webSocketMessage(long seq, long timestampMillis) {
        return "{\"type\":\"metric\",\"id\":" + seq + ",\"serverId\":\"" + serverId(seq)
                + "\",\"timestamp\":" + timestampMillis + ",\"metrics\":" + metrics(seq) + "}";
    }

    /** A slow wave per server, so a chart of the load looks like a fleet and not a flat line. */
    private static String metrics(long seq) {
        double phase = Math.floorMod(seq, 600) / 600.0 * 2 * Math.PI;
        return String.format(Locale.ROOT,
                "{\"cpu\":%.1f,\"memory\":%.1f,\"disk\":%.1f,\"network\":{\"in\":%d,\"out\":%d}}",
                50 + 30 * Math.sin(phase), 60 + 10 * Math.cos(phase), 70.0,
                Math.floorMod(seq * 37, 5000), Math.floorMod(seq * 11, 3000));
    }
}
