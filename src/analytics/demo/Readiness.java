package analytics.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Readiness probes: "is this program serving yet?" asked the way its users will ask it.
 * A started process is not a ready one - a JVM needs a second to bind its ports, and
 * System 1 is only useful once Redis answers - so the supervisor polls these instead of
 * sleeping a fixed time.
 *
 * Pattern: readiness probe (as Kubernetes calls it), distinct from "the process exists".
 * Lesson:  lessons/16-one-command-demo.md
 * Threads: each probe is called from the supervisor's main thread only.
 */
public final class Readiness {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    private Readiness() {
    }

    /** Ready when GET uri answers 200 (System 1's /healthz is 200 only once Redis is ready). */
    public static BooleanSupplier httpOk(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).GET().build();
        return () -> {
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    /** Ready when every probe is: a program that serves on several ports. */
    public static BooleanSupplier all(BooleanSupplier... probes) {
        return () -> {
            for (BooleanSupplier probe : probes) {
                if (!probe.getAsBoolean()) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Ready when redis-server answers PING. */
    public static BooleanSupplier redisPing(String host, int port) {
        return () -> PrivateRedis.answersPing(host, port);
    }

    /** For programs that serve nobody (the senders): started is ready; a crash still shows. */
    public static BooleanSupplier started() {
        return () -> true;
    }
}
