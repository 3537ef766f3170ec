package analytics.faults;

import analytics.faults.Ledger.Answer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * Two worker processes share the consumer group under steady load; one of them is killed
 * with SIGKILL again and again (by default ten times in a minute) and started again at once.
 * What must hold: ingest never notices (every request 202), and once the survivors have
 * claimed what each dead worker left pending, every metric is counted exactly once -
 * Redis itself never failed, so nothing may be lost.
 *
 * Pattern: at-least-once delivery (the pending list, XAUTOCLAIM) made exactly-once by an
 *          idempotent, atomic apply (the batch script checks "still mine?" first).
 * Lesson:  lessons/20-faults-and-floods.md; the mechanism is lesson 12's
 * Threads: the campaign's main thread; the load runs on its own.
 */
final class WorkerKills implements Scenario {

    @Override
    public String name() {
        return "worker-kills";
    }

    @Override
    public String description() {
        return "one of two worker processes SIGKILLed and restarted, again and again, under load";
    }

    @Override
    public void run(Rig rig, Pace pace, Findings findings) throws Exception {
        rig.redis(false).start();
        rig.ingest().start();
        Node[] workers = {rig.workers("worker-a"), rig.workers("worker-b")};
        for (Node worker : workers) {
            worker.start();
        }
        Ledger ledger = new Ledger();
        SteadyLoad load = new SteadyLoad(HttpClient.Version.HTTP_1_1,
                rig.http(rig.httpPort, "/metrics"), "wk", pace.rate(), ledger).start();
        try {
            for (int kill = 0; kill < pace.workerKills(); kill++) {
                Thread.sleep(pace.killEvery());
                Node victim = workers[kill % workers.length];
                victim.kill();
                victim.start();
            }
            Thread.sleep(pace.steady());
        } finally {
            load.close();
        }
        findings.figure("%d SIGKILLs, one every %,d ms, alternating between two worker processes",
                pace.workerKills(), pace.killEvery().toMillis());

        Map<Answer, Integer> answers = ledger.counts();
        findings.figure("%,d requests: %,d answered 202", ledger.size(), answers.get(Answer.ACCEPTED));
        findings.require(answers.get(Answer.ACCEPTED) == ledger.size(),
                "ingest noticed the kills: %d refused, %d other statuses, %d unanswered (first: %s%s)",
                answers.get(Answer.REFUSED), answers.get(Answer.OTHER_STATUS), answers.get(Answer.NO_ANSWER),
                ledger.firstDetail(Answer.OTHER_STATUS), ledger.firstDetail(Answer.NO_ANSWER));

        try (Jedis jedis = rig.jedis()) {
            Duration drained = Tally.awaitDrained(jedis, Rig.STREAM_KEY, Duration.ofSeconds(60));
            findings.require(drained != null, "the workers did not drain the stream within 60 s");
            if (drained != null) {
                findings.figure("stream drained %,d ms after the load stopped (claims included)",
                        drained.toMillis());
            }
            Tally.Counts counts = Tally.count(jedis, ledger);
            findings.figure("%,d of %,d accepted counted exactly once; %,d lost; %,d counted twice",
                    counts.countedOnce(), counts.accepted(), counts.lost().size(), counts.doubled().size());
            findings.require(counts.lost().isEmpty(), "%d accepted metrics never counted: %s",
                    counts.lost().size(), Findings.sample(counts.lost()));
            findings.require(counts.doubled().isEmpty(), "%d accepted metrics counted more than once: %s",
                    counts.doubled().size(), Findings.sample(counts.doubled()));
        }
    }
}
