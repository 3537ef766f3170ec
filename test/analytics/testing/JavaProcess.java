package analytics.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A program of this project started in a JVM of its own, as a user would start it: same
 * java, same class path, chosen environment and working directory, output in a file.
 * Tests of whole processes (supervision, signals, kill -9) need a real process to kill.
 *
 * Pattern: test fixture around a real child process, with signals sent by `kill`.
 * Lesson:  lessons/16-one-command-demo.md
 * Threads: the test's own; descendants() may also be polled from another thread.
 */
public final class JavaProcess implements AutoCloseable {

    /**
     * A process started with SIGINT ignored (a CI job started in the background) passes that
     * on to its children, and a JVM keeps an inherited "ignore". This one-line exec wrapper
     * restores the default, so a test of Ctrl-C tests the program, not how CI was started.
     */
    private static final List<String> RESTORE_SIGINT = pythonExec("");
    /** The same, and first a process group of its own, as a shell gives a foreground job. */
    private static final List<String> AS_JOB = pythonExec("os.setpgid(0, 0); ");

    private final Process process;
    private final Path output;
    /** Every process this one started that a test has looked at; close() kills them all. */
    private final Set<ProcessHandle> descendantsSeen = ConcurrentHashMap.newKeySet();

    private JavaProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** python3 restoring SIGINT's default, running {@code first}, then exec'ing the command after it. */
    private static List<String> pythonExec(String first) {
        return List.of("python3", "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                + first + "os.execv(sys.argv[1], sys.argv[1:])");
    }

    /**
     * Starts {@code mainClass} in the project root (our own working directory, as build.sh
     * runs the tests there), with the variables of {@code environment} added to ours and
     * the given JVM options ("-Dname=value"); its output goes to a file in {@code outputDirectory}.
     */
    public static JavaProcess start(String mainClass, Map<String, String> environment, Path outputDirectory,
                                    String... jvmOptions) throws IOException {
        return start(RESTORE_SIGINT, mainClass, environment, outputDirectory, jvmOptions);
    }

    /**
     * Like {@link #start}, in a process group of its own, as a shell starts a foreground
     * job: then {@link #pressCtrlC} reaches it and every process it left in its group, as
     * a terminal's Ctrl-C would, and nothing of the test's own.
     */
    public static JavaProcess startAsJob(String mainClass, Map<String, String> environment, Path outputDirectory,
                                         String... jvmOptions) throws IOException {
        return start(AS_JOB, mainClass, environment, outputDirectory, jvmOptions);
    }

    private static JavaProcess start(List<String> wrapper, String mainClass, Map<String, String> environment,
                                     Path outputDirectory, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        Path output = outputDirectory.resolve(mainClass + ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return new JavaProcess(builder.start(), output);
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * The processes this one has started, now and at earlier calls. A child outlives the
     * view from its parent when the parent dies (it is re-parented to init), so close()
     * kills what was seen, not only what is visible at that moment.
     */
    public Set<ProcessHandle> descendants() {
        process.descendants().forEach(descendantsSeen::add);
        return Set.copyOf(descendantsSeen);
    }

    /** Everything the program printed so far (stdout and stderr). */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    /** Sends a signal by name ("INT", "TERM", "KILL") to this process only. */
    public void signal(String name) throws IOException, InterruptedException {
        signal(name, String.valueOf(process.pid()));
    }

    /** kill(1): a pid, or a negative number for a whole process group. */
    private static void signal(String name, String target) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, "--", target).start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " -- " + target + " failed");
        }
    }

    /** SIGINT to the process group of a job (see startAsJob): what a terminal's Ctrl-C sends. */
    public void pressCtrlC() throws IOException, InterruptedException {
        signal("INT", "-" + process.pid());
    }

    /** The exit status, or fails the test when the program is still running after the deadline. */
    public int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + deadline.toSeconds() + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Kills the program and every process it started, whatever state the test left them in. */
    @Override
    public void close() {
        descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        // Waiting without throwing InterruptedException: close() runs in finally blocks.
        process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(timeout -> process).join();
    }
}
