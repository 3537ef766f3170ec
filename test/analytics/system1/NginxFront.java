package analytics.system1;

import analytics.demo.NginxTemplate;
import analytics.testing.FreePorts;
import analytics.testing.Await;
import analytics.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx running scripts/nginx/nginx.conf.template, rendered with loopback ports, in a
 * prefix directory of its own under build/, started by a test and stopped by its PID.
 *
 * Pattern: test fixture around an external engine, configured from the same file the
 *          Docker Compose stack uses, so the test checks what ships.
 * Lesson:  lessons/21-scaling-system1-out.md
 * Not here: the processes behind it (the test starts those); rendering (NginxTemplate).
 * Threads: the test's own.
 */
final class NginxFront implements AutoCloseable {

    private final Process process;
    private final Path prefix;

    private NginxFront(Process process, Path prefix) {
        this.process = process;
        this.prefix = prefix;
    }

    /**
     * nginx with its stream module; when either is missing, aborts the running test with
     * what to install (reported skipped, in ensure-tools's words).
     */
    static Path requireNginxWithStream() {
        return NginxTemplate.findExecutable().orElseGet(() -> ExternalTool.missing(
                "nginx with its stream module", "apt-get install nginx-light libnginx-mod-stream"));
    }

    /** Starts nginx on {@code values}' ports and waits until it accepts on {@code ports}. */
    static NginxFront start(Path nginx, Path prefix, Map<String, String> values, int... ports)
            throws IOException, InterruptedException {
        Files.createDirectories(prefix);
        Path config = prefix.resolve("nginx.conf");
        Files.writeString(config, NginxTemplate.render(Files.readString(NginxTemplate.TEMPLATE), values));
        Process process = new ProcessBuilder(NginxTemplate.command(nginx, prefix, config))
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile())
                .start();
        NginxFront front = new NginxFront(process, prefix);
        Await.until("nginx listening on " + Arrays.toString(ports), Duration.ofSeconds(10),
                () -> !process.isAlive() || Arrays.stream(ports).allMatch(FreePorts::accepts));
        if (!process.isAlive()) {
            throw new IllegalStateException("nginx stopped at start: " + front.output());
        }
        return front;
    }

    /** What nginx printed: its access logs (the upstream of each request) and errors. */
    String output() {
        StringBuilder output = new StringBuilder();
        for (String name : List.of("nginx.out", "error.log")) {
            try {
                Path file = prefix.resolve(name);
                output.append(Files.exists(file) ? Files.readString(file) : "");
            } catch (IOException e) {
                output.append(prefix).append(": ").append(e);
            }
        }
        return output.toString();
    }

    /** SIGTERM to the master we started: it stops its worker, then itself. */
    @Override
    public void close() {
        process.destroy();
        // Waiting without throwing InterruptedException: close() runs in @AfterAll and finally.
        process.onExit().orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(timeout -> process.destroyForcibly()).join();
    }
}
