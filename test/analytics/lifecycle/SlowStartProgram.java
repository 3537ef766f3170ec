package analytics.lifecycle;

/**
 * A program whose start takes a while after it is already visible: it prints "listening",
 * keeps starting for two more seconds, then returns a handle that prints "closed" when
 * closed. StartupTest signals it in that window, where a real server has its first port
 * open and its second still opening.
 *
 * Pattern: a test program run as a real process, to pin down a race window.
 * Lesson:  lessons/02-configuration-and-logging.md
 */
public final class SlowStartProgram {

    public static void main(String[] args) {
        Startup.run("slow-start", config -> {
            System.out.println("listening");
            System.out.flush();
            Thread.sleep(2_000);
            return () -> {
                System.out.println("closed");
                System.out.flush();
            };
        });
    }
}
