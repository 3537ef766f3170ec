package analytics.system1;

import analytics.testing.Await;
import analytics.testing.ExternalTool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real nginx running scripts/nginx/nginx.conf.template, rendered with loopback ports, in a
 * prefix directory of its own under build/, started by a test and stopped by its PID.
 *
 * Pattern: test fixture around an external engine, configured from the same file the
 *          Docker Compose stack uses, so the test checks what ships.
 * Lesson:  lessons/21-scaling-system1-out.md
 * Not here: the processes behind it (the test starts those).
 * Threads: the test's own.
 */
final class NginxFront implements AutoCloseable {

    static final Path TEMPLATE = Path.of("scripts", "nginx", "nginx.conf.template");
    /** Debian's place for it; /usr/sbin is not on every user's PATH. */
    private static final Path NGINX_SBIN = Path.of("/usr/sbin/nginx");
    /** Where Debian's libnginx-mod-stream puts the stream module (nginx-light lacks it). */
    static final Path STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
    /** A placeholder of the template: upper case, so nginx's own $variables never match. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(NGINX_[A-Z0-9_]+)}");

    private final Process process;
    private final Path prefix;

    private NginxFront(Process process, Path prefix) {
        this.process = process;
        this.prefix = prefix;
    }

    /**
     * The template with every ${NGINX_...} replaced from {@code values}, as envsubst does in
     * the Docker image. A placeholder without a value is a mistake, not an empty string.
     */
    static String render(String template, Map<String, String> values) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder rendered = new StringBuilder();
        while (placeholder.find()) {
            String name = placeholder.group(1);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for ${" + name + "} in " + TEMPLATE);
            }
            placeholder.appendReplacement(rendered, Matcher.quoteReplacement(value));
        }
        return placeholder.appendTail(rendered).toString();
    }

    /** "server 127.0.0.1:4000; server 127.0.0.1:4010;": an upstream's members. */
    static String servers(int... ports) {
        StringBuilder lines = new StringBuilder();
        for (int port : ports) {
            lines.append(lines.isEmpty() ? "" : " ").append("server 127.0.0.1:").append(port).append(';');
        }
        return lines.toString();
    }

    /**
     * The nginx binary, with the stream module; when either is missing, aborts the running
     * test with what to install (the test is reported skipped, in ensure-tools's words).
     */
    static Path requireNginxWithStream() throws IOException, InterruptedException {
        Path nginx = ExternalTool.onPath(List.of("nginx")).or(() -> Files.isExecutable(NGINX_SBIN)
                ? Optional.of(NGINX_SBIN) : Optional.empty())
                .orElseGet(() -> ExternalTool.missing("nginx",
                        "apt-get install nginx-light libnginx-mod-stream"));
        if (!Files.exists(STREAM_MODULE) && !streamBuiltIn(nginx)) {
            ExternalTool.missing("nginx's stream module", "apt-get install libnginx-mod-stream");
        }
        return nginx;
    }

    /** nginx -V lists "--with-stream" when the module is compiled in ("=dynamic" when not). */
    private static boolean streamBuiltIn(Path nginx) throws IOException, InterruptedException {
        Process version = new ProcessBuilder(nginx.toString(), "-V").redirectErrorStream(true).start();
        String flags = new String(version.getInputStream().readAllBytes());
        version.waitFor(10, TimeUnit.SECONDS);
        return List.of(flags.split("\\s+")).contains("--with-stream");
    }

    /** Starts nginx on {@code values}' ports and waits until it accepts on {@code ports}. */
    static NginxFront start(Path nginx, Path prefix, Map<String, String> values, int... ports)
            throws IOException, InterruptedException {
        Files.createDirectories(prefix);
        Map<String, String> all = new HashMap<>(values);
        all.put("NGINX_LOAD_MODULES",
                Files.exists(STREAM_MODULE) ? "load_module " + STREAM_MODULE + ";" : "");
        Path config = prefix.resolve("nginx.conf");
        Files.writeString(config, render(Files.readString(TEMPLATE), all));
        Process process = new ProcessBuilder(nginx.toString(), "-p", prefix.toAbsolutePath() + "/",
                "-c", config.toAbsolutePath().toString(),
                "-e", prefix.resolve("error.log").toAbsolutePath().toString(),
                "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile())
                .start();
        NginxFront front = new NginxFront(process, prefix);
        Await.until("nginx listening on " + Arrays.toString(ports), Duration.ofSeconds(10),
                () -> !process.isAlive() || Arrays.stream(ports).allMatch(NginxFront::accepts));
        if (!process.isAlive()) {
            throw new IllegalStateException("nginx stopped at start: " + front.output());
        }
        return front;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What nginx printed: its access logs (the upstream of each request) and errors. */
    String output() {
        try {
            Path out = prefix.resolve("nginx.out");
            Path errors = prefix.resolve("error.log");
            return (Files.exists(out) ? Files.readString(out) : "")
                    + (Files.exists(errors) ? Files.readString(errors) : "");
        } catch (IOException e) {
            return prefix + ": " + e;
        }
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
