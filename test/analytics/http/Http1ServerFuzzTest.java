package analytics.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.Fuzzer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Random and damaged requests - chunked bodies above all - sent as raw bytes to a real
 * Http1Server, since its framing is the JDK's and is only reachable through a socket. Each
 * is answered with a status that is not a 5xx but 501 or 505 (or closed without one),
 * promptly, with no stack trace in the answer; the handler never sees a body over the limit.
 * Few inputs: each one costs a connection.
 */
class Http1ServerFuzzTest {

    /** Small, so a damaged chunk size reaches the limit within a short input. */
    private static final int MAX_BODY = 1024;
    /** The client half-closes after sending, so the server sees the end at once: no waiting. */
    private static final int DEADLINE_MILLIS = 3_000;

    private static final String CHUNKED_POST =
            "POST /metrics HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final List<String> SEEDS = List.of(
            CHUNKED_POST + "5\r\nhello\r\n0\r\n\r\n",
            CHUNKED_POST + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n",
            CHUNKED_POST + "2\r\nhi\r\n0\r\nX-Trailer: yes\r\n\r\n",
            CHUNKED_POST + "400\r\n" + "x".repeat(1024) + "\r\n0\r\n\r\n",
            "POST /metrics HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\n{}",
            "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"
                    + "POST /metrics HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\n{}");

    /** Chunk sizes at the edges of an int and of the limit, and framing bytes. */
    private static final List<String> TOKENS = List.of(
            "\r\n", "0\r\n\r\n", ";", "FFFFFFFF", "7FFFFFFF", "80000000", "FFFFFFFFFFFFFFFFFF",
            "400", "401", "-1", " ", "Transfer-Encoding: chunked\r\n", "Content-Length: 5\r\n",
            "Content-Length: 99999999999\r\n", "Expect: 100-continue\r\n");

    private final AtomicReference<String> handlerViolation = new AtomicReference<>();
    private Http1Server server;

    @BeforeEach
    void start() throws IOException {
        Log.setThreshold(Log.Level.WARN);
        server = Http1Server.start("127.0.0.1", 0, MAX_BODY, this::answer);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** 200 with the body's length, or 413 like the ingest; notes a body over the limit. */
    private Response answer(Request request) {
        if (request.bodyTooLarge()) {
            return Response.json(413, "{\"error\":\"Payload too large\"}");
        }
        if (request.body().length > MAX_BODY) {
            handlerViolation.compareAndSet(null, "a body of " + request.body().length + " bytes");
        }
        return Response.text(200, "text/plain", "got " + request.body().length);
    }

    /** Thrown for an answer of 4xx or a connection closed without one: a refusal, which is fine. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String answer) {
            super(answer, null, false, false);
        }
    }

    @Test
    void answersEveryRequestWithoutA5xxOrAHang() throws Exception {
        List<byte[]> seeds = SEEDS.stream().map(Http1ServerFuzzTest::latin1).toList();
        List<byte[]> tokens = TOKENS.stream().map(Http1ServerFuzzTest::latin1).toList();
        Fuzzer.Outcome outcome = Fuzzer.named("HTTP/1.1 requests on a socket").seeds(seeds)
                .tokens(tokens).maxLength(4 * 1024).rejectsWith(Refused.class)
                .run(Fuzzer.iterations(200, 100), this::exchange);
        assertTrue(outcome.accepted() >= seeds.size(), "every seed is served: " + outcome);
        assertTrue(outcome.rejected() > 0, "some requests are refused: " + outcome);
        assertNull(handlerViolation.get(), "the handler saw a body over the limit");
        assertEquals("got 2", lastLine(exchangeText(latin1(SEEDS.get(4)))),
                "still serving after the run");
    }

    private void exchange(byte[] request) throws Exception {
        String answer = exchangeText(request);
        // A stack trace has "\tat " lines and class names with their package. The JDK's own
        // parser answers a request-target it cannot parse before our code runs, with
        // "<h1>400 Bad Request</h1>URISyntaxException thrown": an exception's simple name,
        // not its trace - and not the contract's error body either (issue 14 reports it).
        assertTrue(!answer.contains("\tat ") && !answer.contains("java."),
                "a stack trace in the answer: " + answer);
        int first = -1;
        for (String line : answer.split("\r\n")) {
            if (line.startsWith("HTTP/1.1 ")) {
                int status = Integer.parseInt(line.substring(9, 12));
                // 501 and 505 are refusals too: a transfer coding or a version we do not
                // implement (RFC 9112 §6.1, RFC 9110 §15.6.6); any other 5xx is our failure.
                assertTrue(status < 500 || status == 501 || status == 505, "answered " + line);
                first = first < 0 ? status : first;
            }
        }
        if (first < 0 || first >= 400) {
            throw new Refused(answer);
        }
    }

    /** Sends, half-closes, reads to the end; a reset while sending or reading is a close. */
    private String exchangeText(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(DEADLINE_MILLIS); // a hang fails the read: SocketTimeoutException
            try {
                socket.getOutputStream().write(request);
                socket.shutdownOutput();
            } catch (SocketException closedWhileSending) {
                // The server answered early and closed; what it answered is still readable.
            }
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[64 * 1024];
            int length = 0;
            try {
                int n;
                while (length < answer.length
                        && (n = in.read(answer, length, answer.length - length)) > 0) {
                    length += n;
                }
            } catch (SocketException reset) {
                // Closed with a reset after (or instead of) the answer.
            }
            return new String(answer, 0, length, StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String lastLine(String answer) {
        String[] lines = answer.split("\r\n");
        return lines[lines.length - 1];
    }
}
