package analytics.faults;

import analytics.demo.Readiness;
import analytics.faults.Ledger.Answer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * Redis killed with SIGKILL under steady HTTP/1.1 and HTTP/2 load, then restarted from its
 * append-only file. What must hold: every request got 202 or 503 (no other status, no
 * hang), and after recovery every accepted metric is counted exactly once - none lost.
 *
 * Why none: Redis writes a command to the AOF (write(2), into the kernel's page cache)
 * before it sends the reply, and a killed process's written pages survive it; the fsync
 * that appendfsync everysec does once a second only matters if the machine itself dies
 * (a power cut, a kernel panic). So a 202 survives a process crash; "up to one second
 * lost" is the price of a machine crash, which a campaign on one machine cannot stage.
 * One exception, which Redis counts: when the disk is so slow that last second's fsync
 * is still running, Redis postpones its write (up to 2 s) and replies meanwhile
 * (INFO persistence: aof_delayed_fsync). Read just before the kill; only then may
 * metrics be lost, and only those accepted in the 2 s before it - counted and reported.
 *
 * Pattern: durability is a contract between the client's 202 and the storage - and the
 *          contract differs for a process crash (page cache kept) and a machine crash.
 * Lesson:  lessons/20-faults-and-floods.md
 * Threads: the campaign's main thread; the load runs on its own.
 */
final class RedisKill implements Scenario {

    /** How long Redis may postpone an AOF write behind a slow fsync (redis.io, persistence). */
    private static final Duration POSTPONED_WRITE = Duration.ofSeconds(2);

    @Override
    public String name() {
        return "redis-kill";
    }

    @Override
    public String description() {
        return "Redis SIGKILLed under HTTP/1.1 + HTTP/2 load, restarted from its AOF (everysec)";
    }

    @Override
    public void run(Rig rig, Pace pace, Findings findings) throws Exception {
        Node redis = rig.redis(true);
        redis.start();
        rig.ingest().start();
        rig.workers("workers").start();
        Ledger ledger = new Ledger();
        long killedAt;
        long delayedWrites;
        long healthyAfter;
        SteadyLoad http1 = new SteadyLoad(HttpClient.Version.HTTP_1_1,
                rig.http(rig.httpPort, "/metrics"), "rk-h1", pace.rate(), ledger).start();
        SteadyLoad http2 = new SteadyLoad(HttpClient.Version.HTTP_2,
                rig.http(rig.http2Port, "/metrics"), "rk-h2", pace.rate(), ledger).start();
        try {
            Thread.sleep(pace.steady());
            try (Jedis jedis = rig.jedis()) {
                delayedWrites = infoField(jedis.info("persistence"), "aof_delayed_fsync");
            }
            killedAt = System.nanoTime();
            redis.kill();
            Thread.sleep(pace.down());
            Duration restart = redis.start();
            healthyAfter = Rig.awaitNanos(Readiness.httpOk(rig.http(rig.httpPort, "/healthz")),
                    Duration.ofSeconds(30));
            findings.figure("Redis down %s; restarted from its AOF in %,d ms; ingest healthy %s later",
                    Findings.millis(System.nanoTime() - killedAt - restart.toNanos() - healthyAfter),
                    restart.toMillis(), Findings.millis(healthyAfter));
            Thread.sleep(pace.steady());
        } finally {
            http1.close();
            http2.close();
        }
        findings.require(healthyAfter >= 0, "ingest's /healthz never said 200 again after the restart");

        Map<Answer, Integer> answers = ledger.counts();
        findings.figure("%,d requests over HTTP/1.1 and HTTP/2: %,d answered 202, %,d answered 503",
                ledger.size(), answers.get(Answer.ACCEPTED), answers.get(Answer.REFUSED));
        findings.require(answers.get(Answer.OTHER_STATUS) == 0, "%d answers were neither 202 nor 503; first: %s",
                answers.get(Answer.OTHER_STATUS), ledger.firstDetail(Answer.OTHER_STATUS));
        findings.require(answers.get(Answer.NO_ANSWER) == 0, "%d requests got no answer; first: %s",
                answers.get(Answer.NO_ANSWER), ledger.firstDetail(Answer.NO_ANSWER));
        findings.require(answers.get(Answer.REFUSED) > 0,
                "no request was refused: the kill did not land during the load");

        try (Jedis jedis = rig.jedis()) {
            Duration drained = Tally.awaitDrained(jedis, Rig.STREAM_KEY, Duration.ofSeconds(60));
            findings.require(drained != null, "the workers did not drain the stream within 60 s");
            Tally.Counts counts = Tally.count(jedis, ledger);
            findings.figure("after recovery: %,d of %,d accepted counted once; %,d lost; %,d counted"
                            + " twice; %,d refused ones were written anyway",
                    counts.countedOnce(), counts.accepted(), counts.lost().size(),
                    counts.doubled().size(), counts.refusedButCounted());
            findings.require(counts.doubled().isEmpty(), "%d accepted metrics counted more than once: %s",
                    counts.doubled().size(), Findings.sample(counts.doubled()));
            findings.figure("Redis had postponed %d AOF writes behind a slow fsync before the kill",
                    delayedWrites);
            List<String> lostOutsideWindow = delayedWrites == 0 ? counts.lost() : counts.lost().stream()
                    .filter(id -> ledger.answeredAt(id) < killedAt - POSTPONED_WRITE.toNanos())
                    .toList();
            findings.require(lostOutsideWindow.isEmpty(), "%d accepted metrics lost, %s: %s",
                    lostOutsideWindow.size(), delayedWrites == 0
                            ? "though Redis had written every command to its AOF before replying"
                            : "accepted more than 2 s before the kill",
                    Findings.sample(lostOutsideWindow));
        }
    }

    /** One numeric field of an INFO section ("aof_delayed_fsync:0"); 0 when absent. */
    private static long infoField(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).strip());
            }
        }
        return 0;
    }
}
