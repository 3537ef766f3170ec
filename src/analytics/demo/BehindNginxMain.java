package analytics.demo;

import analytics.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code make run-behind-nginx}: System 1 scaled out on one machine - two ingest
 * processes, the workers and the broadcaster behind a local nginx running
 * scripts/nginx/nginx.conf.template, with a private Redis, the dashboard and fake servers;
 * logs under run/, all stopped by one Ctrl-C. The same Supervisor as make run. And
 * {@code make run-cluster}: the same shape on a Redis Cluster (scripts/run-cluster.sh makes
 * the cluster and sets SYSTEM1_REDIS_CLUSTER; no private Redis is started then).
 *
 * Pattern: one command that assembles the scaled shape from the same parts.
 * Lesson:  lessons/21-scaling-system1-out.md
 * Threads: main starts and then waits; the shutdown hook (Ctrl-C, SIGTERM) stops everything.
 */
public final class BehindNginxMain {

    private BehindNginxMain() {
    }

    public static void main(String[] args) {
        // scripts/run-cluster.sh says --cluster, once it has made the cluster and set its nodes.
        boolean cluster = List.of(args).contains("--cluster");
        String command = cluster ? "make run-cluster" : "make run-behind-nginx";
        Config config = DemoMain.configOrExit(command);
        if (cluster != config.redisCluster().enabled()) {
            System.err.println(command + ": " + (cluster
                    ? "SYSTEM1_REDIS_CLUSTER is not set; scripts/run-cluster.sh sets it"
                    : "SYSTEM1_REDIS_CLUSTER is set; make run-cluster runs this shape on a cluster"));
            System.exit(78);
            return;
        }
        Path redisExecutable = DemoMain.redisOrExit(command);
        Path nginx = NginxTemplate.findExecutable().orElse(null);
        if (nginx == null) {
            System.err.println(command + ": nginx with its stream module is not installed; install it "
                    + "(sudo apt-get install nginx-light libnginx-mod-stream) and run again");
            System.exit(1);
            return;
        }
        BehindNginxPlan plan = new BehindNginxPlan(config, redisExecutable,
                DemoMain.freeOr(config.redis().port()), nginx, DemoMain.RUN_DIR);
        try {
            plan.writeNginxConfig();
        } catch (IOException e) {
            System.err.println(command + ": cannot write nginx's configuration: " + e.getMessage());
            System.exit(1);
            return;
        }
        DemoMain.supervise(command, config,
                (cluster ? "" : "Redis, ") + BehindNginxPlan.INGEST_COUNT + " ingest processes, " + BehindNginxPlan.WORKER_PROCESSES
                        + " worker processes, the broadcaster, "
                        + "nginx, the dashboard and the senders",
                "the senders, then nginx and the dashboard, then System 1" + (cluster ? "" : ", then Redis"),
                plan.layers(), plan.redisDirectory(), plan::banner);
    }
}
