package analytics.http2.hpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DynamicTableTest {

    /** name + value + 32 = 42 octets, like RFC 7541 C.5's ":status: 302". */
    private static HeaderField status(int code) {
        return new HeaderField(":status", String.valueOf(code));
    }

    @Test
    void entrySizeIsNamePlusValuePlus32() {
        assertEquals(42, status(302).size());
        assertEquals(32, new HeaderField("", "").size());
    }

    @Test
    void newestEntryIsIndexOne() {
        DynamicTable table = new DynamicTable(4096);
        table.add(status(200));
        table.add(status(201));
        table.add(status(202));
        assertEquals(3, table.length());
        assertEquals(126, table.size());
        assertEquals(status(202), table.get(1));
        assertEquals(status(200), table.get(3));
    }

    @Test
    void addingEvictsTheOldestUntilTheNewEntryFits() {
        DynamicTable table = new DynamicTable(100); // two entries of 42
        table.add(status(200));
        table.add(status(201));
        table.add(status(202));
        assertEquals(2, table.length());
        assertEquals(84, table.size());
        assertEquals(status(202), table.get(1));
        assertEquals(status(201), table.get(2));
    }

    @Test
    void entryOfExactlyTheMaximumSizeFitsAlone() {
        DynamicTable table = new DynamicTable(42);
        table.add(status(200));
        table.add(status(201));
        assertEquals(1, table.length());
        assertEquals(42, table.size());
        assertEquals(status(201), table.get(1));
    }

    @Test
    void entryLargerThanTheTableEmptiesItAndIsNotAdded() {
        // §4.4: "not an error"; the table is simply empty afterwards.
        DynamicTable table = new DynamicTable(100);
        table.add(status(200));
        table.add(new HeaderField("x", "y".repeat(100)));
        assertEquals(0, table.length());
        assertEquals(0, table.size());
    }

    @Test
    void lowerMaximumEvictsAndZeroEmpties() {
        DynamicTable table = new DynamicTable(4096);
        for (int code = 200; code < 205; code++) {
            table.add(status(code));
        }
        table.setMaxSize(100);
        assertEquals(2, table.length());
        assertEquals(status(204), table.get(1));
        assertEquals(status(203), table.get(2));
        table.setMaxSize(0);
        assertEquals(0, table.length());
        assertEquals(0, table.size());
        table.add(status(200)); // a table of size 0 holds nothing
        assertEquals(0, table.length());
    }

    @Test
    void keepsOrderWhileTheRingGrowsAndWraps() {
        DynamicTable table = new DynamicTable(42 * 50);
        for (int code = 100; code < 400; code++) { // 300 adds, 50 kept: the ring wraps often
            table.add(status(code));
            int kept = Math.min(code - 99, 50);
            assertEquals(kept, table.length());
            assertEquals(42 * kept, table.size());
            for (int i = 1; i <= kept; i++) {
                assertEquals(status(code - i + 1), table.get(i));
            }
        }
    }

    @Test
    void findsEntriesByNameAndValue() {
        DynamicTable table = new DynamicTable(4096);
        table.add(new HeaderField("content-type", "text/plain"));
        table.add(new HeaderField("content-type", "application/json"));
        assertEquals(1, table.indexOf("content-type", "application/json"));
        assertEquals(2, table.indexOf("content-type", "text/plain"));
        assertEquals(0, table.indexOf("content-type", "text/html"));
        assertEquals(1, table.indexOfName("content-type"));
        assertEquals(0, table.indexOfName("server"));
    }

    @Test
    void refusesIndicesOutsideTheTable() {
        DynamicTable table = new DynamicTable(4096);
        table.add(status(200));
        assertThrows(IndexOutOfBoundsException.class, () -> table.get(0));
        assertThrows(IndexOutOfBoundsException.class, () -> table.get(2));
    }

    @Test
    void printsItselfAsRfc7541AppendixCDoes() {
        DynamicTable table = new DynamicTable(4096);
        assertEquals("empty.", table.toString());
        table.add(new HeaderField(":authority", "www.example.com"));
        assertEquals("[  1] (s =  57) :authority: www.example.com\n      Table size:  57",
                table.toString());
    }
}
