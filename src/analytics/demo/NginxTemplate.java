package analytics.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * System 1's nginx configuration, scripts/nginx/nginx.conf.template, filled in for this
 * machine: each ${NGINX_...} replaced as the nginx Docker image's envsubst replaces it, and
 * the stream module loaded where Debian ships it as a separate file.
 *
 * Pattern: one configuration file for every place it runs (tests, make run-behind-nginx,
 *          Docker Compose), with the differences as named placeholders.
 * Lesson:  lessons/21-scaling-system1-out.md
 * Not here: starting nginx (a ChildProcess of the Supervisor, or a test fixture).
 * Threads: any; no state.
 */
public final class NginxTemplate {

    public static final Path TEMPLATE = Path.of("scripts", "nginx", "nginx.conf.template");
    /** Where Debian's libnginx-mod-stream puts the module (nginx-light lacks it). */
    public static final Path STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
    /** Debian's place for nginx; /usr/sbin is not on every user's PATH. */
    private static final Path NGINX_SBIN = Path.of("/usr/sbin/nginx");
    /** Upper case, so nginx's own $variables (always lower case) are never taken for one. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(NGINX_[A-Z0-9_]+)}");

    private NginxTemplate() {
    }

    /**
     * The template with every placeholder replaced from {@code values}, plus
     * NGINX_LOAD_MODULES for this machine. A placeholder without a value is a mistake,
     * reported by name, never an empty string.
     */
    public static String render(String template, Map<String, String> values) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder rendered = new StringBuilder();
        while (placeholder.find()) {
            String name = placeholder.group(1);
            String value = name.equals("NGINX_LOAD_MODULES") && !values.containsKey(name)
                    ? loadModules() : values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for ${" + name + "} in " + TEMPLATE);
            }
            placeholder.appendReplacement(rendered, Matcher.quoteReplacement(value));
        }
        return placeholder.appendTail(rendered).toString();
    }

    /** The members of an upstream on loopback: "server 127.0.0.1:4010; server 127.0.0.1:4020;". */
    public static String servers(int... ports) {
        return IntStream.of(ports).mapToObj(port -> "server 127.0.0.1:" + port + ";")
                .collect(Collectors.joining(" "));
    }

    /** "load_module …;" where the stream module is a file of its own; "" where it is built in. */
    static String loadModules() {
        return Files.exists(STREAM_MODULE) ? "load_module " + STREAM_MODULE + ";" : "";
    }

    /** nginx on the PATH or in /usr/sbin, when it has the stream module (built in or as a file). */
    public static Optional<Path> findExecutable() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, "nginx"));
        return Stream.concat(onPath, Stream.of(NGINX_SBIN)).filter(Files::isExecutable).findFirst()
                .filter(nginx -> Files.exists(STREAM_MODULE) || streamBuiltIn(nginx));
    }

    /** nginx -V lists "--with-stream" when the module is compiled in ("=dynamic" when not). */
    private static boolean streamBuiltIn(Path nginx) {
        try {
            Process version = new ProcessBuilder(nginx.toString(), "-V").redirectErrorStream(true).start();
            String flags = new String(version.getInputStream().readAllBytes());
            return version.waitFor(10, TimeUnit.SECONDS) && List.of(flags.split("\\s+")).contains("--with-stream");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The command that runs nginx in the foreground with {@code prefix} as its directory
     * (pid file, temporary files; its error log before the configuration is read).
     */
    public static List<String> command(Path nginx, Path prefix, Path config) {
        return List.of(nginx.toString(), "-p", prefix.toAbsolutePath() + "/",
                "-c", config.toAbsolutePath().toString(),
                "-e", prefix.resolve("error.log").toAbsolutePath().toString(),
                // Not in the template: the Docker image passes it too, and nginx refuses a twin.
                "-g", "daemon off;");
    }
}
