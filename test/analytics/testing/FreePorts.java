package analytics.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback port nobody listens on right now, for programs that must be told their port
 * in advance (a child process, a Redis restarted on the same port). Another process can
 * take it before we use it; callers that can retry, do. And the other way round: whether
 * a program we started listens on its port yet.
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

    /** Whether something accepts a TCP connection on this loopback port now (half a second to answer). */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
