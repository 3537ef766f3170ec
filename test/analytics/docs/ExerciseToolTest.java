package analytics.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build-your-own track (lessons/BUILD-YOUR-OWN.md) cannot rot: its tool,
 * scripts/course/Exercise.java, run as a student runs it - a JVM of its own with only the
 * jars on its class path - cuts every exercise from its real class, and its self-test
 * checks that the cut copy compiles and fails stage 1 and that the real class passes
 * every stage. A renamed method, a lost tag or a stage without tests fails here.
 */
class ExerciseToolTest {

    private static final Path ROOT = CodeFacts.ROOT.toAbsolutePath();
    private static final Path LESSON = ROOT.resolve("lessons/BUILD-YOUR-OWN.md");

    private record Run(int status, String output) {
    }

    /** The tool in a child JVM; the project's classes stay off its class path, as in make. */
    private static Run tool(Path workDir, String... args) throws IOException, InterruptedException {
        String jars = String.join(File.pathSeparator, Stream.of(System.getProperty("java.class.path")
                .split(File.pathSeparator)).filter(entry -> entry.endsWith(".jar")).toList());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dproject.root=" + ROOT, "-cp", jars,
                ROOT.resolve("scripts/course/Exercise.java").toString()));
        command.addAll(List.of(args));
        Path output = workDir.resolve("tool-" + args[0] + ".out");
        Process process = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the tool ran over 3 minutes: " + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output));
    }

    /** The exercise names of the lesson's stage rows (| `frame-decoder-1` | ...). */
    private static List<String> exercisesInTheLesson() {
        Matcher m = Pattern.compile("(?m)^\\|\\s*`([a-z-]+)-1`\\s*\\|").matcher(CodeFacts.read(LESSON));
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyExerciseCopyFailsStageOneAndEveryRealClassPassesEveryStage(@TempDir Path out)
            throws Exception {
        Run run = tool(out, "selftest", "--out", out.toString());
        assertEquals(0, run.status(), run.output());
        List<String> names = exercisesInTheLesson();
        assertTrue(names.size() >= 4, "the lesson's stage tables: " + names);
        for (String name : names) {
            assertTrue(run.output().contains(name + ": "), name + " was not checked:\n" + run.output());
        }
    }

    @Test
    void startKeepsAStudentsWorkUnlessAskedToReset(@TempDir Path out) throws Exception {
        Path file = out.resolve("sliding-window/SlidingWindow.java");
        assertEquals(0, tool(out, "start", "sliding-window", "--out", out.toString()).status());
        String copy = Files.readString(file);
        String thrown = "throw new UnsupportedOperationException(\"exercise: write SlidingWindow.afterAdd\")";
        assertTrue(copy.contains(thrown), copy);
        assertTrue(copy.contains(
                "SlidingWindow(long lengthMs, SampleRing ring) {\n        if (lengthMs <= 0)"),
                "the constructor is given whole");

        Files.writeString(file, "// my work");
        Run again = tool(out, "start", "sliding-window", "--out", out.toString());
        assertTrue(again.output().contains("exists already"), again.output());
        assertEquals("// my work", Files.readString(file));

        Run reset = tool(out, "start", "sliding-window", "--out", out.toString(), "--reset");
        assertEquals(0, reset.status(), reset.output());
        assertEquals("// my work",
                Files.readString(out.resolve("sliding-window/SlidingWindow.java.previous")));
        assertEquals(copy, Files.readString(file));
    }

    @Test
    void refusesToWriteUnderSrcAndNamesTheExercisesForAnUnknownOne(@TempDir Path out) throws Exception {
        Run underSrc = tool(out, "start", "frame-decoder", "--out", "src/analytics");
        assertEquals(2, underSrc.status(), underSrc.output());
        assertTrue(underSrc.output().contains("never written under src/"), underSrc.output());

        Run unknown = tool(out, "start", "frame-decoderr", "--out", out.toString());
        assertEquals(2, unknown.status(), unknown.output());
        assertTrue(unknown.output().contains("no exercise named 'frame-decoderr'")
                && unknown.output().contains("frame-decoder, sliding-window"), unknown.output());
    }
}
