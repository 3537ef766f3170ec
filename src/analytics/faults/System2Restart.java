package analytics.faults;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * System 2 killed with SIGKILL while fake servers send to it over WebSocket and dashboards
 * follow it, then started again. What must hold: the senders and the dashboards reconnect
 * by themselves and every server reports again. What is lost, by design: everything System
 * 2 held in memory - each server's ring buffer and windows start empty after the restart,
 * so the first snapshot shows one or two samples per server, not ten seconds' worth.
 *
 * Pattern: ephemeral state - fast because it is only in memory, gone when the process is;
 *          the clients' reconnect logic is what makes the system come back.
 * Lesson:  lessons/20-faults-and-floods.md
 * Threads: the campaign's main thread; the senders and dashboards run on their own.
 */
final class System2Restart implements Scenario {

    private static final int SERVERS = 50;
    private static final int INTERVAL_MS = 200;
    private static final int DASHBOARDS = 10;
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(20);

    @Override
    public String name() {
        return "system2-restart";
    }

    @Override
    public String description() {
        return "System 2 SIGKILLed and restarted; 50 fake servers and 10 dashboards reconnect";
    }

    @Override
    public void run(Rig rig, Pace pace, Findings findings) throws Exception {
        Node system2 = rig.system2();
        system2.start();
        Node senders = rig.wsSenders(SERVERS, INTERVAL_MS);
        senders.start();
        List<FollowingDashboard> dashboards = new ArrayList<>();
        try {
            for (int i = 0; i < DASHBOARDS; i++) {
                dashboards.add(new FollowingDashboard(URI.create("ws://127.0.0.1:" + rig.system2Port),
                        List.of("{\"type\":\"register\",\"role\":\"dashboard\",\"serverId\":null}",
                                "{\"type\":\"snapshot.request\"}"),
                        "metric.update").start());
            }
            Thread.sleep(pace.steady());
            system2.kill();
            dashboards.forEach(FollowingDashboard::mark);
            Thread.sleep(pace.down());
            Duration restart = system2.start();
            long ready = System.nanoTime();
            long fleetBack = Rig.awaitNanos(() -> dashboards.stream().allMatch(
                    d -> d.serversSinceMark() == SERVERS && d.firstSnapshotAt() != 0), RECOVERY_DEADLINE);
            findings.figure("System 2 down %,d ms, restarted in %,d ms", pace.down().toMillis(), restart.toMillis());
            findings.figure("all %d fake servers heard again by every dashboard %s after the restart",
                    SERVERS, fleetBack < 0 ? "never (within " + RECOVERY_DEADLINE.toSeconds() + " s)"
                            : Findings.millis(fleetBack));
            findings.require(fleetBack >= 0, "the senders did not all come back within %d s",
                    RECOVERY_DEADLINE.toSeconds());
            findings.require(senders.isAlive(), "the senders' process died with System 2");
            BroadcasterRestart.report(findings, dashboards, ready, fleetBack);
            findings.figure("lost by design: every ring buffer and window - System 2 keeps them in memory only");
            Thread.sleep(pace.steady());
        } finally {
            for (FollowingDashboard dashboard : dashboards) {
                dashboard.close();
            }
        }
    }
}
