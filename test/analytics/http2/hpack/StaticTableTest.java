package analytics.http2.hpack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StaticTableTest {

    @Test
    void hasTheSixtyOneEntriesOfAppendixA() {
        assertEquals(61, StaticTable.LENGTH);
        assertEquals(new HeaderField(":authority", ""), StaticTable.get(1));
        assertEquals(new HeaderField(":method", "GET"), StaticTable.get(2));
        assertEquals(new HeaderField(":status", "200"), StaticTable.get(8));
        assertEquals(new HeaderField("accept-encoding", "gzip, deflate"), StaticTable.get(16));
        assertEquals(new HeaderField("content-type", ""), StaticTable.get(31));
        assertEquals(new HeaderField("www-authenticate", ""), StaticTable.get(61));
    }

    @Test
    void findsFullMatchesAmongEntriesOfTheSameName() {
        assertEquals(2, StaticTable.indexOf(":method", "GET"));
        assertEquals(3, StaticTable.indexOf(":method", "POST"));
        assertEquals(13, StaticTable.indexOf(":status", "404"));
        assertEquals(14, StaticTable.indexOf(":status", "500"));
        assertEquals(0, StaticTable.indexOf(":status", "202"));
        assertEquals(0, StaticTable.indexOf("x-custom", ""));
        assertEquals(61, StaticTable.indexOf("www-authenticate", ""));
    }

    @Test
    void findsTheLowestIndexOfAName() {
        assertEquals(8, StaticTable.indexOfName(":status"));
        assertEquals(31, StaticTable.indexOfName("content-type"));
        assertEquals(0, StaticTable.indexOfName("Content-Type")); // HTTP/2 names are lower case
        assertEquals(0, StaticTable.indexOfName("x-custom"));
    }

    @Test
    void everyEntryIsFoundAtItsOwnIndex() {
        for (int i = 1; i <= StaticTable.LENGTH; i++) {
            HeaderField entry = StaticTable.get(i);
            assertEquals(i, StaticTable.indexOf(entry.name(), entry.value()), entry.toString());
        }
    }
}
