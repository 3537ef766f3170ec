package analytics.faults;

import analytics.faults.Ledger.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * System 1's broadcaster killed with SIGKILL while dashboards follow it and metrics flow in,
 * then started again. What must hold: ingest never notices (every request 202 - the
 * broadcaster is only a reader of pub/sub), and every dashboard reconnects by itself, gets
 * a snapshot from Redis, and receives live pushes again.
 *
 * Pattern: a stateless fan-out tier - it keeps nothing a restart could lose; the snapshot
 *          rebuilds each dashboard from the state the workers keep in Redis.
 * Lesson:  lessons/20-faults-and-floods.md
 * Threads: the campaign's main thread; the load and the dashboards run on their own.
 */
final class BroadcasterRestart implements Scenario {

    private static final int DASHBOARDS = 20;
    private static final Duration RECONNECT_DEADLINE = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "broadcaster-restart";
    }

    @Override
    public String description() {
        return "System 1's broadcaster SIGKILLed and restarted; 20 dashboards reconnect, ingest unaware";
    }

    @Override
    public void run(Rig rig, Pace pace, Findings findings) throws Exception {
        rig.redis(false).start();
        rig.ingest().start();
        rig.workers("workers").start();
        Node broadcaster = rig.broadcaster();
        broadcaster.start();
        List<FollowingDashboard> dashboards = new ArrayList<>();
        Ledger ledger = new Ledger();
        SteadyLoad load = new SteadyLoad(HttpClient.Version.HTTP_1_1,
                rig.http(rig.httpPort, "/metrics"), "br", pace.rate(), ledger).start();
        try {
            for (int i = 0; i < DASHBOARDS; i++) {
                dashboards.add(new FollowingDashboard(URI.create("ws://127.0.0.1:" + rig.broadcasterPort),
                        List.of("{\"type\":\"snapshot.request\"}", "{\"type\":\"subscribe\",\"serverId\":null}"),
                        "metric.processed").start());
            }
            Thread.sleep(pace.steady());
            broadcaster.kill();
            dashboards.forEach(FollowingDashboard::mark);
            Thread.sleep(pace.down());
            Duration restart = broadcaster.start();
            long ready = System.nanoTime();
            long allBack = Rig.awaitNanos(() -> dashboards.stream()
                    .allMatch(d -> d.firstSnapshotAt() != 0 && d.firstPushAt() != 0), RECONNECT_DEADLINE);
            findings.figure("broadcaster down %,d ms, restarted in %,d ms", pace.down().toMillis(),
                    restart.toMillis());
            report(findings, dashboards, ready, allBack);
            Thread.sleep(pace.steady());
        } finally {
            load.close();
            for (FollowingDashboard dashboard : dashboards) {
                dashboard.close();
            }
        }
        Map<Answer, Integer> answers = ledger.counts();
        findings.figure("ingest: %,d requests, %,d answered 202", ledger.size(), answers.get(Answer.ACCEPTED));
        findings.require(answers.get(Answer.ACCEPTED) == ledger.size(),
                "ingest noticed the broadcaster's death: %d refused, %d other, %d unanswered",
                answers.get(Answer.REFUSED), answers.get(Answer.OTHER_STATUS), answers.get(Answer.NO_ANSWER));
    }

    /** How long after the restart the dashboards had their snapshot and live pushes again. */
    static void report(Findings findings, List<FollowingDashboard> dashboards, long ready, long allBack) {
        long reconnected = dashboards.stream().filter(d -> d.connects() >= 2).count();
        long snapshots = dashboards.stream().filter(d -> d.firstSnapshotAt() != 0).count();
        long slowestSnapshot = dashboards.stream().mapToLong(d -> d.firstSnapshotAt() - ready).max().orElse(0);
        long slowestPush = dashboards.stream().mapToLong(d -> d.firstPushAt() - ready).max().orElse(0);
        findings.figure("%d of %d dashboards reconnected by themselves; the slowest had its snapshot %s"
                        + " and live pushes %s after the restart (their backoff is 0.1 s doubling to 2 s)",
                reconnected, dashboards.size(), Findings.millis(slowestSnapshot), Findings.millis(slowestPush));
        findings.require(allBack >= 0, "not every dashboard had a snapshot and live pushes again within %d s",
                RECONNECT_DEADLINE.toSeconds());
        findings.require(snapshots == dashboards.size(), "%d dashboards got no snapshot after reconnecting",
                dashboards.size() - snapshots);
    }
}
