package analytics.testing;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * A loopback port nobody listens on right now, for programs that must be told their port
 * in advance (a child process, a Redis restarted on the same port). Another process can
 * take it before we use it; callers that can retry, do.
 *
 * Pattern: ask the kernel (bind to port 0) instead of guessing a port number.
 * Lesson:  lessons/16-one-command-demo.md
 * Threads: any.
 */
public final class FreePorts {

    private FreePorts() {
    }

    public static int any() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
