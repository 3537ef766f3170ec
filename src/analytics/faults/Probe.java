package analytics.faults;

import analytics.log.Untrusted;
import analytics.websocket.WholeTextListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One metric sent by a brand-new client, timed, and its answer judged: what a user arriving
 * at an overloaded system meets. Over HTTP a 202 is served and a 503 is an honest refusal
 * (it must say when to come back, {@code Retry-After}); anything else - a 500, a stack
 * trace in the body, no answer within 30 s - is a failure. Over WebSocket the metric's
 * ack is served, and an error message or a close is a failure.
 *
 * Why 30 s and not less: under HTTP/2's retry storm a new client waited up to 6 s locally
 * and over 10 s once in CI before its first answer. Each carrier thread of the JDK's
 * virtual-thread scheduler runs the work its own threads woke before a thread started
 * anew, and a new connection is a new thread; lesson 20 shows the measurement. The
 * waits are reported (ProbeLane.summary); 30 s still tells a slow answer from none.
 *
 * Pattern: a probe from outside the load - the load's own clients queue behind each other,
 *          a new client shows what the next user would see.
 * Lesson:  lessons/20-faults-and-floods.md
 * Not here: the load itself (wrk, h2load and Node's ws, run by Overload).
 * Threads: the caller's; the WebSocket probe's answer arrives on the JDK's thread.
 */
final class Probe {

    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param outcome   "202", "503", "500", "ack", "error message", "closed 1008", "no answer", ...
     * @param served    the metric was accepted
     * @param failure   neither served nor an honest refusal: a report line saying why, or null
     */
    record Answer(String outcome, boolean served, String failure, long nanos) {
    }

    private Probe() {
    }

    /** POST /metrics over {@code version} from a client of its own (HTTP/2: the h2c upgrade). */
    static Answer post(HttpClient.Version version, URI ingest) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(ingest.resolve("/metrics"))
                .timeout(ANSWER_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SteadyLoad.metric("probe"))).build();
        long began = System.nanoTime();
        try (HttpClient client = HttpClient.newBuilder().version(version)
                .connectTimeout(ANSWER_TIMEOUT).build()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            long nanos = System.nanoTime() - began;
            int status = response.statusCode();
            String body = response.body();
            if (body.contains("\tat ") || body.contains("Exception")) {
                return new Answer(String.valueOf(status), false, "a stack trace in a " + status + " answer", nanos);
            }
            if (status == 503 && response.headers().firstValue("Retry-After").isEmpty()) {
                return new Answer("503", false, "a 503 without Retry-After", nanos);
            }
            boolean honest = status == 202 || status == 503;
            return new Answer(String.valueOf(status), status == 202,
                    honest ? null : "answered " + status + ": " + Untrusted.text(body, 120), nanos);
        } catch (IOException e) {
            return new Answer("no answer", false, "no answer: " + e, System.nanoTime() - began);
        }
    }

    /** A new producer connection to System 2: one metric, waiting for its metric.ack. */
    static Answer producerAck(URI system2) throws InterruptedException {
        long began = System.nanoTime();
        CompletableFuture<String> answer = new CompletableFuture<>();
        try (HttpClient client = HttpClient.newHttpClient()) {
            WebSocket socket = client.newWebSocketBuilder().connectTimeout(ANSWER_TIMEOUT)
                    .buildAsync(system2, new FirstAnswer(answer))
                    .get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String metric = SteadyLoad.metric("probe");
            socket.sendText("{\"type\":\"metric\",\"id\":1," + metric.substring(1), true);
            String first = answer.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long nanos = System.nanoTime() - began;
            socket.abort();
            return first.contains("\"metric.ack\"")
                    ? new Answer("ack", true, null, nanos)
                    : new Answer("other", false, "answered " + Untrusted.text(first, 120), nanos);
        } catch (ExecutionException | TimeoutException e) {
            return new Answer("no answer", false, "no ack: " + e, System.nanoTime() - began);
        }
    }

    /** Completes with the first answer to the metric, or with how the connection ended before one came. */
    private static final class FirstAnswer extends WholeTextListener {

        private final CompletableFuture<String> answer;

        FirstAnswer(CompletableFuture<String> answer) {
            this.answer = answer;
        }

        /** The greeting (connection.ack) comes first on every connection; the answer follows it. */
        @Override
        protected void onMessage(WebSocket webSocket, String text) {
            if (!text.contains("\"connection.ack\"")) {
                answer.complete(text);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            answer.complete("closed " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            answer.complete("error " + error);
        }
    }
}
