package analytics.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * `make run` started afresh for each of its parts, and that part killed with SIGKILL. What
 * must hold - the demo's documented fail-fast policy (lesson 16): make run names the part
 * that died and why, stops every other part cleanly, exits with status 1, and leaves no
 * process behind. A half-running demo that looks alive is worse than one that stops and says why.
 *
 * Pattern: fail fast under supervision - one process tree, one fate, one clear message.
 * Lesson:  lessons/20-faults-and-floods.md; the supervisor is lesson 16's
 * Threads: the campaign's main thread.
 */
final class DemoKills implements Scenario {

    /** A part of the demo and how to recognise its process by its command line. */
    private record Victim(String name, String commandLineMark) {
    }

    private static final List<Victim> VICTIMS = List.of(
            new Victim("redis", "redis-server"),
            new Victim("system1", "analytics.system1.System1Main"),
            new Victim("system2", "analytics.system2.System2Main"),
            new Victim("dashboard", "analytics.dashboard.DashboardMain"),
            new Victim("senders-ws", "--mode ws"));
    private static final int PARTS = 7; // Redis, System 1, System 2, the dashboard, 3 sender groups
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "demo-kills";
    }

    @Override
    public String description() {
        return "make run started 5 times; each time one part SIGKILLed: it must say which and stop the rest";
    }

    @Override
    public void run(Rig rig, Pace pace, Findings findings) throws Exception {
        for (Victim victim : VICTIMS) {
            Node demo = rig.demo("demo-" + victim.name(), 5);
            demo.start();
            long allStarted = Rig.awaitNanos(() -> demo.handle().descendants().count() == PARTS, SETTLE);
            findings.require(allStarted >= 0, "make run did not start all %d parts within %d s", PARTS,
                    SETTLE.toSeconds());
            List<ProcessHandle> parts = demo.handle().descendants().toList();
            Optional<ProcessHandle> target = parts.stream()
                    .filter(p -> commandLine(p).contains(victim.commandLineMark()))
                    .findFirst();
            if (target.isEmpty()) {
                findings.require(false, "no process of make run looks like %s", victim.name());
                demo.close();
                continue;
            }
            long killed = System.nanoTime();
            target.get().destroyForcibly();
            int status = demo.awaitExit(SETTLE);
            long stoppedAfter = System.nanoTime() - killed;
            String said = Files.readAllLines(demo.log()).stream()
                    .filter(line -> line.startsWith("make run: " + victim.name() + " was killed by SIGKILL"))
                    .findFirst().orElse("");
            List<String> leftBehind = parts.stream().filter(ProcessHandle::isAlive)
                    .map(DemoKills::commandLine).toList();
            findings.figure("%s killed: make run exited %d after %s, saying \"%s ...\"", victim.name(), status,
                    Findings.millis(stoppedAfter), said.length() > 60 ? said.substring(0, 60) : said);
            findings.require(status == 1, "%s killed: make run exited with %d, not 1", victim.name(), status);
            findings.require(!said.isEmpty(), "%s killed: make run did not say that %s was killed",
                    victim.name(), victim.name());
            findings.require(leftBehind.isEmpty(), "%s killed: %d processes left running: %s",
                    victim.name(), leftBehind.size(), Findings.sample(leftBehind));
        }
    }

    /**
     * /proc's view of a command line. ProcessHandle.Info gives none for Redis, which rewrites
     * its own title ("redis-server 127.0.0.1:6379"); the kernel's cmdline file still has it.
     */
    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline"))
                    .replace('\0', ' ').strip();
        } catch (IOException gone) {
            return process.info().commandLine().orElse("pid " + process.pid());
        }
    }
}
