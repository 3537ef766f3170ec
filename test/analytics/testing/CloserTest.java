package analytics.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloserTest {

    @Test
    void closesLastOpenedFirstAndKeepsGoingPastAFailure() {
        List<String> closed = new ArrayList<>();
        Closer closer = new Closer();
        closer.add(() -> closed.add("redis"));
        closer.add(() -> {
            closed.add("server");
            throw new IOException("port stuck");
        });
        closer.add(() -> closed.add("client"));

        IllegalStateException failure = assertThrows(IllegalStateException.class, closer::close);

        assertEquals(List.of("client", "server", "redis"), closed);
        assertEquals("port stuck", failure.getCause().getMessage());
    }

    @Test
    void closesEachResourceOnce() {
        List<String> closed = new ArrayList<>();
        Closer closer = new Closer();
        closer.add(() -> closed.add("pool"));

        closer.close();
        closer.close();

        assertEquals(List.of("pool"), closed);
    }
}
