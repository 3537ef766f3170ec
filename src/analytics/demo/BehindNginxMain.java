package analytics.demo;

import analytics.config.Config;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code make run-behind-nginx}: System 1 scaled out on one machine - two ingest
 * processes, the workers and the broadcaster behind a local nginx running
 * scripts/nginx/nginx.conf.template, with a private Redis, the dashboard and fake servers;
 * logs under run/, all stopped by one Ctrl-C. The same Supervisor as make run.
 *
 * Pattern: one command that assembles the scaled shape from the same parts.
 * Lesson:  lessons/21-scaling-system1-out.md
 * Threads: main starts and then waits; the shutdown hook (Ctrl-C, SIGTERM) stops everything.
 */
public final class BehindNginxMain {

    private static final String COMMAND = "make run-behind-nginx";

    private BehindNginxMain() {
    }

    public static void main(String[] args) {
        Config config = DemoMain.configOrExit(COMMAND);
        Path redisExecutable = DemoMain.redisOrExit(COMMAND);
        Path nginx = NginxTemplate.findExecutable().orElse(null);
        if (nginx == null) {
            System.err.println(COMMAND + ": nginx with its stream module is not installed; install it "
                    + "(sudo apt-get install nginx-light libnginx-mod-stream) and run again");
            System.exit(1);
            return;
        }
        BehindNginxPlan plan = new BehindNginxPlan(config, redisExecutable,
                DemoMain.freeOr(config.redis().port()), nginx, DemoMain.RUN_DIR);
        try {
            plan.writeNginxConfig();
        } catch (IOException e) {
            System.err.println(COMMAND + ": cannot write nginx's configuration: " + e.getMessage());
            System.exit(1);
            return;
        }
        DemoMain.supervise(COMMAND, config,
                "Redis, " + BehindNginxPlan.INGEST_COUNT + " ingest processes, the workers, the broadcaster, "
                        + "nginx, the dashboard and the senders",
                "the senders, then nginx and the dashboard, then System 1, then Redis",
                plan.layers(), plan.redisDirectory(), plan::banner);
    }
}
