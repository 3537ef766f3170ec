package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamTableTest {

    private final AtomicInteger live = new AtomicInteger();

    @Test
    void findsEveryStreamItHoldsAndNoOther() {
        StreamTable table = new StreamTable(2);
        List<Stream> streams = new ArrayList<>();
        for (int id = 1; id < 2000; id += 2) {
            Stream stream = new Stream(id, live);
            streams.add(stream);
            table.put(stream); // grows well past the size it was made for
        }
        assertEquals(1000, table.size());
        for (Stream stream : streams) {
            assertSame(stream, table.get(stream.id));
        }
        assertNull(table.get(2001));
        assertNull(table.get(2));
    }

    @Test
    void forgetsTheStreamsItIsToldToRemove() {
        StreamTable table = new StreamTable(8);
        for (int id = 1; id <= 99; id += 2) {
            Stream stream = new Stream(id, live);
            if (id % 3 == 0) {
                stream.refuse(); // closed
            }
            table.put(stream);
        }
        table.removeIf(Stream::isClosed);
        int seen = 0;
        for (Stream stream : table) {
            assertEquals(false, stream.isClosed());
            assertSame(stream, table.get(stream.id));
            seen++;
        }
        assertEquals(table.size(), seen);
        assertEquals(33, seen);
        assertNull(table.get(3));
    }
}
