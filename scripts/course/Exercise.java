import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The build-your-own track's tool (lessons/BUILD-YOUR-OWN.md): writes a copy of a central
 * class with the bodies of its methods taken out, compiles a student's version of it in a
 * copy of the project, and grades it with the class's own tests, one JUnit tag per stage.
 *
 * Pattern: the real class is the answer key - exercises are cut from it when asked, never
 *          kept as a second copy that could drift; the stages and hints live in the lesson.
 * Lesson:  lessons/BUILD-YOUR-OWN.md (the Makefile's exercise and check-exercise run it)
 * Not here: grading style or speed; only what the existing tests assert. Never on src/'s
 *          classpath: run alone, `java -cp "$(./build.sh classpath test)" scripts/course/Exercise.java`.
 * Threads: one; the tests run in this JVM, in a class loader of their own per run.
 *
 *   start NAME [--out DIR] [--reset]   write DIR/NAME/Class.java (DIR: build/exercises)
 *   check NAME [--file F] [--quick]    compile F (default: the file start wrote) and grade it
 *   selftest [--out DIR]               each exercise: its stub fails stage 1, the real class
 *                                      passes every stage (run by ExercisesTest in make test)
 *   list                               the exercises and their stages
 */
public final class Exercise {

    /** One class to rebuild: where it lives, which tests grade it, which bodies are removed. */
    record Catalogued(String name, String source, String testClass, List<String> methods) {
        String className() {
            return Path.of(source).getFileName().toString().replace(".java", "");
        }
    }

    /** Methods left whole are the class's skeleton: constructor, fields, small accessors. */
    static final List<Catalogued> CATALOG = List.of(
            new Catalogued("frame-decoder", "src/analytics/websocket/FrameDecoder.java",
                    "analytics.websocket.FrameDecoderTest",
                    List.of("decode", "readHeader", "readExtendedLength", "afterLength", "makeRoom",
                            "finishFrame", "fillField")),
            new Catalogued("sliding-window", "src/analytics/system2/aggregate/SlidingWindow.java",
                    "analytics.system2.aggregate.SlidingWindowTest",
                    List.of("beforeOverwrite", "afterAdd", "snapshot", "average", "remove", "rebuild")),
            new Catalogued("histogram", "src/analytics/loadtest/measure/LatencyHistogram.java",
                    "analytics.loadtest.measure.LatencyHistogramTest",
                    List.of("record", "add", "copy", "count", "max", "min", "mean", "percentile",
                            "indexOf", "highestValueIn", "raiseMax", "lowerMin")),
            new Catalogued("stream-batcher", "src/analytics/system1/ingest/StreamBatcher.java",
                    "analytics.system1.ingest.StreamBatcherTest",
                    List.of("submit", "nextBatch", "commit", "failOverdue", "goDown", "failQueued")),
            new Catalogued("hpack-reader", "src/analytics/http2/hpack/PrimitiveReader.java",
                    "analytics.http2.hpack.PrimitiveReaderTest",
                    List.of("readInteger", "readString", "skipString", "readOctet", "checkLength")));

    private static final Path ROOT = Path.of(System.getProperty("project.root", "")).toAbsolutePath();
    private static final Path LESSON = ROOT.resolve("lessons/BUILD-YOUR-OWN.md");
    private static final Path MAIN_CLASSES = ROOT.resolve("build/classes/main");
    private static final Path TEST_CLASSES = ROOT.resolve("build/classes/test");
    /** A student's endless loop fails its test after this, instead of hanging the check. */
    private static final String TEST_TIMEOUT = "30 s";

    /** A stage: its JUnit tag (name-N), what it covers, the hint shown when it fails. */
    record Stage(String tag, String covers, String hint) {
    }

    /** What running one stage's tests gave. */
    record Outcome(long found, long failed, String firstFailure) {
        boolean passed() {
            return found > 0 && failed == 0;
        }
    }

    public static void main(String[] args) {
        // A thread of the student's class that dies (a batcher's loop) gets one line, not a trace.
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) ->
                System.out.println("      thread " + thread.getName() + " died: " + firstLine(failure)));
        try {
            System.exit(run(List.of(args)));
        } catch (UsageException e) {
            System.err.println("exercise: " + e.getMessage());
            System.exit(2);
        }
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private static int run(List<String> args) {
        if (!Files.exists(ROOT.resolve("build.sh"))) {
            throw new UsageException("run me from the project's root (no build.sh in " + ROOT + ")");
        }
        String command = args.isEmpty() ? "list" : args.get(0);
        Path out = ROOT.resolve(option(args, "--out", "build/exercises"));
        if (out.normalize().startsWith(ROOT.resolve("src"))) {
            throw new UsageException("exercises are never written under src/: " + out);
        }
        return switch (command) {
            case "list" -> list();
            case "start" -> start(exercise(args), out, args.contains("--reset"));
            case "check" -> check(exercise(args), out, args);
            case "selftest" -> selftest(out);
            default -> throw new UsageException("unknown command '" + command
                    + "' (list, start NAME, check NAME, selftest)");
        };
    }

    private static String option(List<String> args, String name, String otherwise) {
        int at = args.indexOf(name);
        if (at < 0) {
            return otherwise;
        }
        if (at + 1 >= args.size()) {
            throw new UsageException(name + " needs a value");
        }
        return args.get(at + 1);
    }

    private static Catalogued exercise(List<String> args) {
        String name = args.size() > 1 ? args.get(1) : "";
        return CATALOG.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("no exercise named '" + name + "'; the exercises: "
                        + String.join(", ", CATALOG.stream().map(Catalogued::name).toList())
                        + " (make exercise NAME=frame-decoder)"));
    }

    // --- list, start ----------------------------------------------------------------------

    private static int list() {
        for (Catalogued exercise : CATALOG) {
            System.out.println(exercise.name() + ": " + exercise.source());
            for (Stage stage : stages(exercise)) {
                System.out.println("  " + stage.tag() + "  " + stage.covers());
            }
        }
        return 0;
    }

    private static int start(Catalogued exercise, Path out, boolean reset) {
        Path file = studentFile(exercise, out);
        if (Files.exists(file) && !reset) {
            System.out.println(ROOT.relativize(file) + " exists already: your work is kept. To start"
                    + " over (the old file is kept as " + file.getFileName() + ".previous):");
            System.out.println("  make exercise NAME=" + exercise.name() + " RESET=1");
            return 0;
        }
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".previous"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(file, stub(exercise));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("wrote " + ROOT.relativize(file) + ": write the bodies of "
                + String.join(", ", exercise.methods()) + ".");
        System.out.println("then: make check-exercise NAME=" + exercise.name()
                + "   (stages and hints: lessons/BUILD-YOUR-OWN.md)");
        return 0;
    }

    private static Path studentFile(Catalogued exercise, Path out) {
        return out.resolve(exercise.name()).resolve(exercise.className() + ".java");
    }

    /** The real class with the chosen bodies replaced by a throw; comments and fields kept. */
    static String stub(Catalogued exercise) {
        String source = read(ROOT.resolve(exercise.source()));
        for (String method : exercise.methods()) {
            source = withoutBodies(source, method, exercise.className());
        }
        int afterPackage = source.indexOf('\n') + 1;
        return source.substring(0, afterPackage)
                + "\n// Exercise copy (make exercise NAME=" + exercise.name() + "): the real class is "
                + exercise.source() + ".\n// Write the bodies that throw; lessons/BUILD-YOUR-OWN.md has"
                + " the stages and hints.\n" + source.substring(afterPackage);
    }

    /** A member's declaration: four spaces in, modifiers, a return type, the name, "(". */
    private static Pattern declaration(String method) {
        return Pattern.compile("(?m)^    (?:(?:public|protected|private|static|final|synchronized)\\s+)*"
                + "\\w[\\w<>\\[\\]., ?]*\\s+" + Pattern.quote(method) + "\\(");
    }

    static String withoutBodies(String source, String method, String className) {
        Matcher m = declaration(method).matcher(source);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        int found = 0;
        while (m.find()) {
            int close = matching(source, m.end() - 1, '(', ')');
            int open = source.indexOf('{', close);
            String between = source.substring(close + 1, open).strip();
            if (!between.isEmpty() && !between.startsWith("throws ")) {
                continue; // an abstract or interface method: no body
            }
            int end = matching(source, open, '{', '}');
            out.append(source, copied, open + 1)
                    .append("\n        throw new UnsupportedOperationException(\"exercise: write ")
                    .append(className).append('.').append(method).append("\");\n    }");
            copied = end + 1;
            found++;
        }
        if (found == 0) {
            throw new IllegalStateException(className + " has no method " + method
                    + "(...) any more: update the catalog in scripts/course/Exercise.java");
        }
        return out.append(source, copied, source.length()).toString();
    }

    /** The index of the bracket closing the one at {@code from}; skips strings and comments. */
    static int matching(String s, int from, char open, char close) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                i = s.indexOf('\n', i);
            } else if (s.startsWith("/*", i)) {
                i = s.indexOf("*/", i + 2) + 1;
            } else if (s.startsWith("\"\"\"", i)) {
                i = s.indexOf("\"\"\"", i + 3) + 2;
            } else if (c == '"' || c == '\'') {
                for (i++; s.charAt(i) != c; i++) {
                    if (s.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return i;
            }
            if (i < 0) {
                break;
            }
        }
        throw new IllegalStateException("unbalanced " + open + close + " from offset " + from);
    }

    // --- check ----------------------------------------------------------------------------

    private static int check(Catalogued exercise, Path out, List<String> args) {
        Path file = ROOT.resolve(option(args, "--file", studentFile(exercise, out).toString()));
        if (!Files.exists(file)) {
            throw new UsageException(ROOT.relativize(file) + " does not exist: make exercise NAME="
                    + exercise.name() + " writes it");
        }
        Path project = out.resolve(exercise.name()).resolve("project");
        boolean quick = args.contains("--quick");
        System.out.println(exercise.name() + ": compiling " + file.getFileName()
                + (quick ? " against the project's classes" : " in a copy of the project, "
                + ROOT.relativize(project)));
        Path classes = quick ? compileAlone(file, project) : compileInCopy(exercise, file, project);
        if (classes == null) {
            return 1;
        }
        List<Path> classPath = quick ? List.of(classes, MAIN_CLASSES, TEST_CLASSES)
                : List.of(classes, TEST_CLASSES);
        return grade(exercise, classPath) ? 0 : 1;
    }

    /** Runs every stage, prints one line each and the hint of the first that fails. */
    private static boolean grade(Catalogued exercise, List<Path> classPath) {
        Stage firstFailed = null;
        for (Stage stage : stages(exercise)) {
            Outcome outcome = runStage(exercise, stage, classPath);
            System.out.printf("  %-18s %s  %s%n", stage.tag(),
                    outcome.passed() ? "pass" : "FAIL", stage.covers());
            if (!outcome.passed()) {
                System.out.println("      " + (outcome.found() == 0 ? "no test has this tag"
                        : outcome.failed() + " of " + outcome.found() + " failed; first: "
                        + outcome.firstFailure()));
                if (firstFailed == null) {
                    firstFailed = stage;
                }
            }
        }
        if (firstFailed == null) {
            System.out.println("every stage passes: compare with " + exercise.source());
            return true;
        }
        System.out.println("hint for " + firstFailed.tag() + ": " + firstFailed.hint());
        return false;
    }

    /** Copy of src/ with the student's file in the real one's place, compiled whole. */
    private static Path compileInCopy(Catalogued exercise, Path file, Path project) {
        Path src = project.resolve("src");
        Path classes = project.resolve("classes");
        deleteTree(project);
        copyTree(ROOT.resolve("src"), src);
        try {
            Files.copy(file, src.resolve(exercise.source().substring("src/".length())),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(src)) {
            sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        copyResources(src, classes);
        return compile(sources, jars(), classes) ? classes : null;
    }

    /** Only the student's file, against the real classes: what the self-test uses. */
    private static Path compileAlone(Path file, Path project) {
        Path classes = project.resolve("classes-alone");
        deleteTree(classes);
        String classPath = MAIN_CLASSES + java.io.File.pathSeparator + jars();
        return compile(List.of(file), classPath, classes) ? classes : null;
    }

    /** As build.sh compiles, but a warning is not an error: it is the student's draft. */
    private static boolean compile(List<Path> sources, String classPath, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new UsageException("this Java has no compiler: run me with a JDK 21+");
        }
        List<String> args = new ArrayList<>(List.of("--release", "21", "-encoding", "UTF-8",
                "-Xlint:all", "-g", "-implicit:none", "-cp", classPath, "-d", classes.toString()));
        sources.forEach(p -> args.add(p.toString()));
        int status = javac.run(null, null, null, args.toArray(String[]::new));
        if (status != 0) {
            System.out.println("  does not compile (javac's messages above); no stage was run");
        }
        return status == 0;
    }

    private static String jars() {
        return String.join(java.io.File.pathSeparator, Stream.of(System.getProperty("java.class.path")
                .split(java.io.File.pathSeparator)).filter(p -> p.endsWith(".jar")).toList());
    }

    /** One stage's tests, in a class loader of their own over {@code classPath}. */
    static Outcome runStage(Catalogued exercise, Stage stage, List<Path> classPath) {
        URL[] urls = classPath.stream().map(Exercise::url).toArray(URL[]::new);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getSystemClassLoader())) {
            thread.setContextClassLoader(loader);
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(loader, exercise.testClass()))
                    .filters(TagFilter.includeTags(stage.tag()))
                    .configurationParameter("junit.jupiter.execution.timeout.default", TEST_TIMEOUT)
                    .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default",
                            "SEPARATE_THREAD")
                    .build();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            LauncherFactory.create().execute(request, listener);
            TestExecutionSummary summary = listener.getSummary();
            String first = summary.getFailures().stream().findFirst()
                    .map(f -> f.getTestIdentifier().getLegacyReportingName() + ": "
                            + firstLine(f.getException()))
                    .orElse("");
            return new Outcome(summary.getTestsFoundCount(), summary.getTotalFailureCount(), first);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static String firstLine(Throwable failure) {
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    // --- stages, from the lesson ----------------------------------------------------------

    /** Rows of the lesson's stage tables: | `name-N` | covers | hint |. */
    static List<Stage> stages(Catalogued exercise) {
        Pattern row = Pattern.compile("(?m)^\\|\\s*`(" + Pattern.quote(exercise.name())
                + "-(\\d+))`\\s*\\|([^|]*)\\|([^|]*)\\|\\s*$");
        Map<Integer, Stage> stages = new TreeMap<>();
        Matcher m = row.matcher(read(LESSON));
        while (m.find()) {
            stages.put(Integer.parseInt(m.group(2)), new Stage(m.group(1), m.group(3).strip(),
                    m.group(4).strip().replace("`", "")));
        }
        if (stages.isEmpty()) {
            throw new IllegalStateException(ROOT.relativize(LESSON) + " has no stage rows for "
                    + exercise.name() + " (| `" + exercise.name() + "-1` | covers | hint |)");
        }
        return List.copyOf(stages.values());
    }

    // --- selftest -------------------------------------------------------------------------

    /** The track cannot rot: each stub compiles and fails stage 1; each real class passes all. */
    private static int selftest(Path out) {
        List<String> problems = new ArrayList<>();
        for (Catalogued exercise : CATALOG) {
            Path project = out.resolve(exercise.name()).resolve("project");
            Path stubFile = out.resolve(exercise.name()).resolve("stub")
                    .resolve(exercise.className() + ".java");
            write(stubFile, stub(exercise));
            List<Stage> stages = stages(exercise);
            Path stubClasses = compileAlone(stubFile, project.resolve("stub"));
            if (stubClasses == null) {
                problems.add(exercise.name() + ": the exercise copy does not compile");
            } else {
                Outcome first = runStage(exercise, stages.get(0),
                        List.of(stubClasses, MAIN_CLASSES, TEST_CLASSES));
                if (first.found() == 0 || first.failed() == 0) {
                    problems.add(exercise.name() + ": the exercise copy does not fail stage 1 ("
                            + first.found() + " tests found, " + first.failed() + " failed)");
                }
            }
            Path realClasses = compileAlone(ROOT.resolve(exercise.source()), project.resolve("real"));
            for (Stage stage : stages) {
                Outcome outcome = realClasses == null ? new Outcome(0, 0, "does not compile")
                        : runStage(exercise, stage, List.of(realClasses, MAIN_CLASSES, TEST_CLASSES));
                if (!outcome.passed()) {
                    problems.add(exercise.name() + ": the real class fails " + stage.tag() + " ("
                            + outcome.found() + " tests found, " + outcome.failed() + " failed "
                            + outcome.firstFailure() + ")");
                }
            }
            System.out.println(exercise.name() + ": " + stages.size() + " stages checked");
        }
        problems.forEach(problem -> System.out.println("PROBLEM " + problem));
        return problems.isEmpty() ? 0 : 1;
    }

    // --- files ----------------------------------------------------------------------------

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(path.toString(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Non-Java files (META-INF/services) travel with the classes, as build.sh does. */
    private static void copyResources(Path src, Path classes) {
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".java"))
                    .toList()) {
                Path target = classes.resolve(src.relativize(p).toString());
                Files.createDirectories(target.getParent());
                Files.copy(p, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
