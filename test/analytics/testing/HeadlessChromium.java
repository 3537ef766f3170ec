package analytics.testing;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * A real Chromium, headless, driven over the Chrome DevTools Protocol with the JDK's own
 * WebSocket client: open a page, evaluate JavaScript in it, move and click the mouse and
 * type as a person would (real input events, not synthetic DOM ones), take a screenshot,
 * collect its console errors, and measure how busy the page keeps the browser's main thread
 * (and, when that is too busy, which script costs the time).
 *
 * Pattern: test fixture around a real dependency, never a mock - the page under test runs
 *          in the browser its users run, against servers that really listen.
 * Lesson:  lessons/15-the-dashboard-page.md   Spec: Chrome DevTools Protocol (Runtime, Log,
 *          Page, Input, Performance, Profiler)
 * Not here: waiting for page state (tests poll evaluate with Await), keyboard keys other
 *           than text and Enter, full traces (Tracing: far more data than a test needs).
 * Threads: one test thread; the JDK client's listener only fills a queue.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** The Debian/Ubuntu package that provides the browser; named in the skip reason. */
    private static final String INSTALL_HINT = "apt-get install chromium";
    private static final List<String> BINARIES = List.of("chromium", "chromium-browser", "google-chrome");
    private static final Duration START_DEADLINE = Duration.ofSeconds(20);
    /** A laptop-sized window: pages lay out as a reader sees them, screenshots included. */
    private static final int WINDOW_WIDTH = 1280;
    private static final int WINDOW_HEIGHT = 1000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** V8's sampling period for selfTimeByFunction: fine enough for 10 s, 10,000 samples. */
    private static final int PROFILE_INTERVAL_MICROS = 1000;
    /** The switch Chromium starts a renderer process with; its main thread runs the page. */
    private static final String RENDERER_SWITCH = "--type=renderer";
    /** USER_HZ, the unit of /proc's CPU times: 100 on every Linux a test will meet. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    private final Process process;
    private final Path profile;
    private final JdkWebSocketClient devtools;
    private final List<String> errors = new ArrayList<>();
    private int nextId;
    private boolean performanceEnabled;

    private HeadlessChromium(Process process, Path profile, JdkWebSocketClient devtools) {
        this.process = process;
        this.profile = profile;
        this.devtools = devtools;
    }

    /**
     * Starts the browser on about:blank and attaches to its page; console and log capture
     * are on before any navigation, so nothing the page logs is missed. With no Chromium
     * installed the test is aborted (reported as skipped, with the command to install it);
     * a Chromium that is there but does not start fails it.
     */
    public static HeadlessChromium launch() throws IOException, InterruptedException {
        String binary = ExternalTool.require("Chromium", INSTALL_HINT, BINARIES).toString();
        Path profile = Files.createTempDirectory("dashboard-chromium");
        // Port 0: Chromium picks a free port and writes it to DevToolsActivePort in the
        // profile, so parallel runs never collide and no output needs parsing.
        Process process = new ProcessBuilder(binary, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--window-size=" + WINDOW_WIDTH + "," + WINDOW_HEIGHT,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile.resolve("user-data"), "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            int port = awaitDevToolsPort(process, profile);
            JdkWebSocketClient devtools = JdkWebSocketClient.connect(pageWebSocketUrl(port));
            HeadlessChromium browser = new HeadlessChromium(process, profile, devtools);
            browser.call("Runtime.enable", new JsonObject());
            browser.call("Log.enable", new JsonObject());
            return browser;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            stop(process);
            throw e;
        }
    }

    private static int awaitDevToolsPort(Process process, Path profile) throws IOException, InterruptedException {
        Path portFile = profile.resolve("user-data").resolve("DevToolsActivePort");
        long end = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("Chromium exited with " + process.exitValue() + ": "
                        + Files.readString(profile.resolve("chromium.log")));
            }
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (lines.size() >= 2) { // written in two steps: wait for both lines
                    return Integer.parseInt(lines.get(0).strip());
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Chromium did not open its DevTools port within " + START_DEADLINE);
    }

    /** The DevTools endpoint of the one page (tab) the browser opened. */
    private static String pageWebSocketUrl(int port) throws IOException, InterruptedException {
        HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonValue target : Json.parse(list.body()).asArray()) {
            if (target.asObject().getString("type", "").equals("page")) {
                return target.asObject().getString("webSocketDebuggerUrl", "");
            }
        }
        throw new AssertionError("Chromium has no page target: " + list.body());
    }

    /** Loads the URL in the page; returns once the browser has started the navigation. */
    public void navigate(String url) {
        call("Page.navigate", new JsonObject().add("url", url));
    }

    /** The value of a JavaScript expression in the page, as JSON (null when undefined). */
    public JsonValue evaluate(String expression) {
        JsonObject result = call("Runtime.evaluate", new JsonObject()
                .add("expression", expression).add("returnByValue", true)).asObject();
        if (result.get("exceptionDetails") != null) {
            throw new AssertionError("page threw on " + expression + ": " + result.get("exceptionDetails"));
        }
        JsonValue value = result.get("result").asObject().get("value");
        return value == null ? Json.NULL : value;
    }

    /** Moves the mouse to a point of the page (CSS pixels from the viewport's corner). */
    public void mouseMove(double x, double y) {
        mouse("mouseMoved", x, y, 0);
    }

    /** A left click at a point: move, press, release, as a real mouse sends them. */
    public void click(double x, double y) {
        mouse("mouseMoved", x, y, 0);
        mouse("mousePressed", x, y, 1);
        mouse("mouseReleased", x, y, 1);
    }

    private void mouse(String type, double x, double y, int clickCount) {
        JsonObject params = new JsonObject().add("type", type).add("x", x).add("y", y);
        if (clickCount > 0) {
            params.add("button", "left").add("buttons", 1).add("clickCount", clickCount);
        }
        call("Input.dispatchMouseEvent", params);
    }

    /** Types text into whatever has the focus, as one input event per character. */
    public void type(String text) {
        text.codePoints().forEach(c -> call("Input.insertText",
                new JsonObject().add("text", new String(Character.toChars(c)))));
    }

    /** Presses and releases Enter in whatever has the focus. */
    public void pressEnter() {
        for (String type : List.of("keyDown", "keyUp")) {
            call("Input.dispatchKeyEvent", new JsonObject().add("type", type).add("key", "Enter")
                    .add("code", "Enter").add("windowsVirtualKeyCode", 13)
                    .add("text", type.equals("keyDown") ? "\r" : ""));
        }
    }

    /** Saves what the page shows now as a PNG (the whole page, not only the window). */
    public void screenshot(Path file) throws IOException {
        JsonObject result = call("Page.captureScreenshot", new JsonObject().add("format", "png")
                .add("captureBeyondViewport", true)).asObject();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(result.getString("data", "")));
    }

    /**
     * How much of a window of wall time the page's main thread spent running tasks, by
     * Chromium's own bookkeeping: Performance.getMetrics before and after, and the growth
     * of TaskDuration (every task the renderer's main thread ran: script, style, layout,
     * paint set-up, garbage collection) over the growth of Timestamp. Blocks the caller for
     * the window while the page runs as it would unwatched; nothing is sampled or traced,
     * so the measurement costs the page nothing.
     *
     * A task's duration is wall time: on a machine short of cores, a task that waits for
     * one keeps its clock running, and the figure reads high. So the same window is also
     * measured as the operating system sees it, where it can: the CPU time of the
     * renderer's main thread, as /proc counts it.
     */
    public MainThreadUse mainThreadUse(Duration window) throws InterruptedException {
        if (!performanceEnabled) {
            call("Performance.enable", new JsonObject());
            performanceEnabled = true;
        }
        Map<String, Double> before = performanceMetrics();
        double cpuBefore = rendererMainThreadCpuSeconds();
        Thread.sleep(window.toMillis()); // the measured window itself, not a wait for state
        double cpuAfter = rendererMainThreadCpuSeconds();
        Map<String, Double> after = performanceMetrics();
        ToDoubleFunction<String> grown = name -> after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
        return new MainThreadUse(grown.applyAsDouble("Timestamp"), grown.applyAsDouble("TaskDuration"),
                grown.applyAsDouble("ScriptDuration"), grown.applyAsDouble("LayoutDuration"),
                grown.applyAsDouble("RecalcStyleDuration"), cpuAfter - cpuBefore);
    }

    /**
     * The page's main thread over a window, in seconds of each kind of work; onCpuSeconds
     * is the operating system's count for the same thread (NaN where there is no /proc).
     */
    public record MainThreadUse(double wallSeconds, double taskSeconds, double scriptSeconds,
                                double layoutSeconds, double styleSeconds, double onCpuSeconds) {

        /** Busy time over wall time, as Chromium counts it: 0.25 is a quarter of one core. */
        public double busyFraction() {
            return taskSeconds / wallSeconds;
        }

        /**
         * The thread's own CPU time over wall time - busyFraction without the time its tasks
         * waited for a core - where /proc is there to count it; busyFraction elsewhere.
         */
        public double onCpuFraction() {
            return Double.isNaN(onCpuSeconds) ? busyFraction() : onCpuSeconds / wallSeconds;
        }

        @Override
        public String toString() {
            return ("main thread busy %.1f %% of %.1f s (script %.1f %%, style %.1f %%, layout %.1f %%;"
                    + " on a CPU %.1f %%)").formatted(100 * busyFraction(), wallSeconds,
                    100 * scriptSeconds / wallSeconds, 100 * styleSeconds / wallSeconds,
                    100 * layoutSeconds / wallSeconds, 100 * onCpuSeconds / wallSeconds);
        }
    }

    /**
     * User plus system time so far of the main thread (the thread whose id is the process's)
     * of every renderer this browser runs; NaN without /proc. Idle renderers (the spare one
     * Chromium keeps ready) add next to nothing, so the sum is the page's.
     */
    private double rendererMainThreadCpuSeconds() {
        long ticks = 0;
        boolean found = false;
        for (ProcessHandle child : process.descendants().toList()) {
            Path proc = Path.of("/proc", String.valueOf(child.pid()));
            try {
                if (!Files.readString(proc.resolve("cmdline")).contains(RENDERER_SWITCH)) {
                    continue;
                }
                // stat: "pid (comm) state ..." - fields 14 and 15 are utime and stime.
                String stat = Files.readString(proc.resolve("task").resolve(String.valueOf(child.pid()))
                        .resolve("stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                found = true;
            } catch (IOException e) {
                // not Linux, or the renderer ended meanwhile: it has no share to count
            }
        }
        return found ? ticks / (double) CLOCK_TICKS_PER_SECOND : Double.NaN;
    }

    /** Performance.getMetrics as name -> value (durations and Timestamp in seconds). */
    private Map<String, Double> performanceMetrics() {
        Map<String, Double> metrics = new HashMap<>();
        for (JsonValue metric : call("Performance.getMetrics", new JsonObject()).asObject()
                .get("metrics").asArray()) {
            metrics.put(metric.asObject().getString("name", ""), metric.asObject().getDouble("value", 0));
        }
        return metrics;
    }

    /**
     * Where the page's main thread spends its time: V8's sampling profiler over a window (a
     * sample every PROFILE_INTERVAL_MICROS), each sample's time given to the function it
     * caught (its self time), summed per script file and function ("heatmap.js:draw") and
     * sorted, most first. V8's own entries keep their names: "(program)" (the browser's
     * native work: receiving messages, style, layout, paint), "(garbage collector)",
     * "(idle)". For finding out why a page is slow; sampling costs the page a little, so
     * never measure busy time in the same window.
     */
    public Map<String, Duration> selfTimeByFunction(Duration window) throws InterruptedException {
        call("Profiler.enable", new JsonObject());
        call("Profiler.setSamplingInterval", new JsonObject().add("interval", PROFILE_INTERVAL_MICROS));
        call("Profiler.start", new JsonObject());
        Thread.sleep(window.toMillis()); // the profiled window itself, not a wait for state
        JsonObject profile = call("Profiler.stop", new JsonObject()).asObject().get("profile").asObject();
        call("Profiler.disable", new JsonObject());
        Map<Integer, String> scriptOfNode = new HashMap<>();
        for (JsonValue node : profile.get("nodes").asArray()) {
            JsonObject frame = node.asObject().get("callFrame").asObject();
            String url = frame.getString("url", "");
            scriptOfNode.put(node.asObject().getInt("id", -1),
                    url.isEmpty() ? frame.getString("functionName", "?")
                            : url.substring(url.lastIndexOf('/') + 1) + ":" + frame.getString("functionName", ""));
        }
        Map<String, Long> micros = new HashMap<>();
        List<JsonValue> samples = profile.get("samples").asArray().values();
        List<JsonValue> deltas = profile.get("timeDeltas").asArray().values();
        // timeDeltas[i] is the time from sample i-1 to sample i: the time sample i-1 stood for.
        for (int i = 0; i + 1 < samples.size(); i++) {
            micros.merge(scriptOfNode.get(samples.get(i).asInt()), deltas.get(i + 1).asLong(), Long::sum);
        }
        Map<String, Duration> sorted = new LinkedHashMap<>();
        micros.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), Duration.ofNanos(e.getValue() * 1000)));
        return sorted;
    }

    /** Console errors, uncaught exceptions and error log entries (failed loads, CSP) so far. */
    public List<String> errors() {
        evaluate("0"); // a round trip: every event sent before it has arrived and been read
        return List.copyOf(errors);
    }

    /** Sends one command and reads until its answer, noting the events that come between. */
    private JsonValue call(String method, JsonObject params) {
        int id = ++nextId;
        devtools.send(new JsonObject().add("id", id).add("method", method).add("params", params).toString());
        while (true) {
            JsonObject message = devtools.next();
            if (message.getInt("id", -1) == id) {
                if (message.get("error") != null) {
                    throw new AssertionError(method + " failed: " + message.get("error"));
                }
                return message.get("result");
            }
            noteIfError(message);
        }
    }

    private void noteIfError(JsonObject event) {
        JsonObject params = event.get("params") == null ? new JsonObject() : event.get("params").asObject();
        switch (event.getString("method", "")) {
            case "Runtime.consoleAPICalled" -> {
                if (params.getString("type", "").equals("error")) {
                    errors.add("console.error: " + params.get("args"));
                }
            }
            case "Runtime.exceptionThrown" -> errors.add("exception: " + params.get("exceptionDetails"));
            case "Log.entryAdded" -> {
                JsonObject entry = params.get("entry").asObject();
                if (entry.getString("level", "").equals("error")) {
                    errors.add(entry.getString("text", "") + " " + entry.getString("url", ""));
                }
            }
            default -> { } // page lifecycle, execution contexts: not our concern
        }
    }

    /** Stops the browser this object started, and its child processes, then its profile. */
    @Override
    public void close() {
        devtools.close();
        stop(process);
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Only our own process tree: the browser's renderer and GPU children, then the browser. */
    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        awaitExit(process.toHandle());
        children.forEach(HeadlessChromium::awaitExit); // none outlives the test that started it
    }

    private static void awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
