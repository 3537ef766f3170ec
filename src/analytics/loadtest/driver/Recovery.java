package analytics.loadtest.driver;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonValue;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Waits, before each level, until the system under test has recovered from the one before:
 * it answers {@code GET /healthz} with 200 and, for System 1, its workers have caught up
 * with the stream ({@code /stats} shows a group lag of 0).
 *
 * An open-model level beyond a system's capacity leaves damage behind - a backlog in the
 * Redis stream the workers are still draining, sockets the server is still closing. Measured
 * straight after, the next level would inherit it, and a whole run could stop on one level
 * that was too much. So each level starts from a settled system, and the wait is printed:
 * how long System 1 takes to drain a backlog is a result too (durability has a cost).
 *
 * Pattern: an experiment's runs must be independent - reset to a known state between them.
 * Lesson:  lessons/19-load-testing-done-right.md   Contract: docs/CONTRACT.md (/healthz, /stats)
 * Threads: the caller's.
 */
final class Recovery {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(ASK_TIMEOUT).build();
    private final PrintStream out;
    private final Duration patience;

    Recovery(PrintStream out, Duration patience) {
        this.out = out;
        this.patience = patience;
    }

    /**
     * Returns once the system at {@code target} (any of its URLs: ws:// ports serve plain
     * HTTP too) is healthy and has no backlog; throws when it is not within the patience.
     */
    void awaitSettled(String name, URI target) throws IOException, InterruptedException {
        URI base = URI.create("http://" + target.getHost() + ":" + target.getPort());
        long giveUp = System.nanoTime() + patience.toNanos();
        long started = System.nanoTime();
        String state = "no answer yet";
        boolean said = false;
        while (true) {
            state = state(base);
            if (state == null) {
                if (said) {
                    out.printf(Locale.ROOT, "  %s settled after %.1f s%n", name, (System.nanoTime() - started) / 1e9);
                }
                return;
            }
            if (System.nanoTime() - giveUp >= 0) {
                throw new IOException(name + " did not settle within " + patience.toSeconds() + " s: " + state);
            }
            if (!said) {
                out.println("  waiting for " + name + " to settle: " + state);
                said = true;
            }
            Thread.sleep(POLL);
        }
    }

    /** Null when settled; else what it is still doing, in words. */
    private String state(URI base) throws InterruptedException {
        try {
            HttpResponse<String> health = get(base.resolve("/healthz"));
            if (health.statusCode() != 200) {
                return "/healthz answers " + health.statusCode();
            }
            HttpResponse<String> stats = get(base.resolve("/stats"));
            JsonValue stream = stats.statusCode() == 200 ? Json.parse(stats.body()).asObject().get("stream") : null;
            long lag = stream == null || !stream.isObject() ? 0 : stream.asObject().getLong("groupLag", 0);
            return lag > 0 ? String.format(Locale.ROOT, "group lag %,d (stream entries no worker has read yet)", lag) : null;
        } catch (IOException | RuntimeException e) {
            return "no answer (" + e.getClass().getSimpleName() + ")";
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(ASK_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
