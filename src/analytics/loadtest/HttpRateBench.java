package analytics.loadtest;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop HTTP/1.1 load for System 1: N keep-alive connections POST metrics at R
 * requests/s in total on a fixed schedule, and each latency counts from the request's
 * PLANNED send time, so a server stall shows in every request planned during it (what
 * wrk2 does, and wrk cannot). Reports throughput, p50/p99 and the CPU per accepted
 * metric of the server and of Redis, from /proc.
 *
 * Pattern: open-loop load generation over raw sockets; avoiding coordinated omission.
 * Lesson:  lessons/07-backpressure-and-fan-out.md   Spec: RFC 9112 §9.3 (persistent connections)
 * Not here: pipelining (a late connection sends late, and the delay is counted); chunked
 *           responses (System 1 always sends Content-Length).
 * Threads: one virtual thread per connection, sending and then reading its answer.
 */
public final class HttpRateBench {

    private final Map<String, String> options;

    private HttpRateBench(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                System.err.println("HttpRateBench: unexpected argument " + args[i]
                        + "\nusage: [--host 127.0.0.1] [--port 4000] [--path /metrics] [--connections 50]"
                        + " [--rate 5000] [--seconds 10] [--warmup 2] [--server-pid PID] [--redis-pid PID]"
                        + " [--clk-tck 100] [--csv FILE]");
                System.exit(2);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Result result = new HttpRateBench(options).run();
        System.out.println(result.describe());
        String csv = options.getOrDefault("csv", "");
        if (!csv.isEmpty()) {
            result.appendCsv(Path.of(csv));
        }
        System.exit(0); // connection threads may still wait for a last answer
    }

    private String option(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    /** One measured run; CPU figures are seconds used inside the measured window. */
    record Result(String setup, long accepted, long refused, double seconds, long p50Micros, long p99Micros,
                  double serverCpuSeconds, double redisCpuSeconds) {

        double perSecond() {
            return accepted / seconds;
        }

        double microsPerMetric(double cpuSeconds) {
            return accepted == 0 ? Double.NaN : cpuSeconds * 1e6 / accepted;
        }

        String describe() {
            return String.format(Locale.ROOT,
                    "rate (%s): %.0f accepted/s, %d refused, latency from planned send p50 %.2f ms, p99 %.2f ms,"
                            + " server CPU %.2f s = %.1f us per metric, redis CPU %.2f s = %.1f us per metric",
                    setup, perSecond(), refused, p50Micros / 1000.0, p99Micros / 1000.0, serverCpuSeconds,
                    microsPerMetric(serverCpuSeconds), redisCpuSeconds, microsPerMetric(redisCpuSeconds));
        }

        /** The row format of scripts/bench-system1.sh; the drain columns belong to the wrk rows. */
        void appendCsv(Path file) throws IOException {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!Files.exists(file)) {
                Files.writeString(file, HEADER);
            }
            Files.writeString(file, String.format(Locale.ROOT, "rate,%s,%.0f,%.3f,%.3f,%.3f,%.2f,%.3f,%.2f,,,%d%n",
                    setup.replace(',', ' '), perSecond(), p50Micros / 1000.0, p99Micros / 1000.0,
                    serverCpuSeconds, microsPerMetric(serverCpuSeconds), redisCpuSeconds,
                    microsPerMetric(redisCpuSeconds), refused), StandardOpenOption.APPEND);
        }
    }

    static final String HEADER = "scenario,setup,per_second,p50_ms,p99_ms,server_cpu_s,server_us_per_metric,"
            + "redis_cpu_s,redis_us_per_metric,lag_drain_ms,pending_drain_ms,non_2xx\n";

    private Result run() throws Exception {
        String host = option("host", "127.0.0.1");
        int port = Integer.parseInt(option("port", "4000"));
        String path = option("path", "/metrics");
        int connections = Integer.parseInt(option("connections", "50"));
        int rate = Integer.parseInt(option("rate", "5000"));
        int seconds = Integer.parseInt(option("seconds", "10"));
        int warmup = Integer.parseInt(option("warmup", "2"));
        long serverPid = Long.parseLong(option("server-pid", "-1"));
        long redisPid = Long.parseLong(option("redis-pid", "-1"));
        int clockTicks = Integer.parseInt(option("clk-tck", "100"));

        long start = System.nanoTime() + 100_000_000L; // time to connect before the first send
        long measureFrom = start + warmup * 1_000_000_000L;
        long measureTo = measureFrom + seconds * 1_000_000_000L;
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<LatencyRecorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        double interval = 1e9 * connections / rate;
        for (int c = 0; c < connections; c++) {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            LatencyRecorder recorder = new LatencyRecorder();
            recorders.add(recorder);
            String serverId = "bench-" + c;
            // Connections are offset by a fraction of the interval so sends spread evenly.
            long first = start + (long) (interval * c / connections);
            threads.add(Thread.ofVirtual().start(() -> {
                try (socket) {
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                    for (long seq = 0; ; seq++) {
                        long planned = first + (long) (seq * interval);
                        if (planned >= measureTo) {
                            return;
                        }
                        long wait = planned - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        out.write(request(host, port, path, serverId, seq));
                        int status = readResponse(in);
                        long now = System.nanoTime();
                        if (planned >= measureFrom) { // counted by when it was due, not when it came
                            if (status == 202) {
                                recorder.record((now - planned) / 1000);
                                accepted.incrementAndGet();
                            } else {
                                refused.incrementAndGet();
                            }
                        }
                    }
                } catch (IOException e) {
                    System.err.println("connection stopped: " + e);
                }
            }));
        }
        double[] before = awaitAndReadCpu(measureFrom, serverPid, redisPid, clockTicks);
        // Answers to requests planned just before the end still count: wait for them briefly.
        double[] after = awaitAndReadCpu(measureTo + 200_000_000L, serverPid, redisPid, clockTicks);
        for (Thread thread : threads) {
            thread.join(2_000); // join makes its samples visible; a stuck connection is left behind
        }
        LatencyRecorder all = new LatencyRecorder();
        recorders.forEach(all::addAll);
        String setup = connections + " connections, " + rate + "/s offered";
        return new Result(setup, accepted.get(), refused.get(), seconds, all.percentile(50), all.percentile(99),
                after[0] - before[0], after[1] - before[1]);
    }

    private static double[] awaitAndReadCpu(long atNanos, long serverPid, long redisPid, int clockTicks)
            throws InterruptedException {
        long wait = atNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        return new double[] {
            serverPid > 0 ? ProcessCpu.seconds(serverPid, clockTicks) : Double.NaN,
            redisPid > 0 ? ProcessCpu.seconds(redisPid, clockTicks) : Double.NaN,
        };
    }

    /** A valid metric of the contract with the current time, in one request of head and body. */
    private static byte[] request(String host, int port, String path, String serverId, long seq) {
        double wave = (seq % 100) / 100.0;
        byte[] body = ("{\"serverId\":\"" + serverId + "\",\"timestamp\":" + System.currentTimeMillis()
                + ",\"metrics\":{\"cpu\":" + (20 + 60 * wave) + ",\"memory\":" + (40 + 20 * wave)
                + ",\"disk\":70.5,\"network\":{\"in\":" + (seq % 1000) + ",\"out\":" + (seq % 700) + "}}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** Reads one response (status line, fields, Content-Length body) and returns its status. */
    static int readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.substring(9, 12)); // "HTTP/1.1 202 Accepted"
        long length = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(line.substring(colon + 1).strip());
            }
        }
        for (long skipped = 0; skipped < length; skipped++) {
            if (in.read() < 0) {
                throw new EOFException("body cut short");
            }
        }
        return status;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
