package analytics.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One program the demo runs: its command line, its log file, how to tell it is ready,
 * and how to stop it - politely first (SIGTERM, so its shutdown hook closes sockets with
 * 1001 and flushes), then by force when it overstays its grace period.
 *
 * Pattern: a supervised child process - start, readiness probe, graceful stop, kill.
 * Lesson:  lessons/16-one-command-demo.md; the fault campaign (analytics.faults) kills it
 *          on purpose (lessons/20-faults-and-floods.md)
 * Threads: started and stopped by the Supervisor; onExit() completes on a JDK thread.
 */
public final class ChildProcess {

    private static final Duration PROBE_INTERVAL = Duration.ofMillis(50);
    /**
     * util-linux's setsid(1): runs a program in a session, so a process group, of its own.
     * A terminal's Ctrl-C signals its whole foreground group at once: Redis would exit at
     * the same moment as the systems still writing to it. In their own sessions the
     * programs hear only the supervisor, which stops them in order. Where there is no
     * setsid (macOS) they stay in the supervisor's group and all stop at once.
     */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private final BooleanSupplier ready;
    private Process process;

    /**
     * @param environment variables added to (or replacing) the demo's own environment
     * @param ready       a probe that answers true once the program serves requests
     */
    public ChildProcess(String name, List<String> command, Map<String, String> environment,
                 Path log, BooleanSupplier ready) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.ready = ready;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /**
     * Starts the program in a session of its own, with its output (stdout and stderr)
     * going to its log file.
     */
    public void start() throws IOException {
        Files.createDirectories(log.getParent());
        List<String> line = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            line.add(SETSID.toString()); // execs the program in the same process: same pid
        }
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile()); // truncates: each run starts a fresh log
        builder.environment().putAll(environment);
        process = builder.start();
    }

    /**
     * Waits until the readiness probe answers true. Fails at once when the program exits
     * first (a busy port, a bad setting), with the last line it logged: that line is
     * the reason, and the user should not have to open the log to find it.
     */
    public void awaitReady(Duration timeout) throws DemoException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new DemoException(name + " exited with status " + process.exitValue()
                        + ": " + lastLogLine());
            }
            if (System.nanoTime() > deadline) {
                throw new DemoException(name + " was not ready within " + timeout.toSeconds()
                        + " s; see " + log);
            }
            Thread.sleep(PROBE_INTERVAL);
        }
    }

    /** The running process, to find its own children (the fault campaign does). */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Asks the program to stop (SIGTERM); the Supervisor signals a whole layer at once. */
    public void requestStop() {
        if (isAlive()) {
            process.destroy();
        }
    }

    /** Kills the program at once (SIGKILL): for when there is no time left to wait. */
    public void kill() {
        if (isAlive()) {
            process.destroyForcibly();
        }
    }

    /** Waits for the program to end; kills it (SIGKILL) if it is still running after grace. */
    public void awaitStop(Duration grace) throws InterruptedException {
        if (process == null || process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    /**
     * How the program ended, for a person: "was killed by SIGKILL" or "exited with status 78".
     * A process ended by signal N reports status 128 + N (the shell's convention, which the
     * JDK follows); SIGKILL and SIGTERM leave no last words in the log, so this is the "why".
     */
    public String howItEnded() {
        if (process == null || process.isAlive()) {
            return "is still running";
        }
        int status = process.exitValue();
        if (status > 128 && status < 128 + 32) {
            return "was killed by " + signalName(status - 128);
        }
        return "exited with status " + status;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
    }

    /** The last non-blank line of the log, the likeliest place for the reason it stopped. */
    public String lastLogLine() {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "(nothing logged; see " + log + ")";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
