package analytics.system1.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Routing a published message by its payload.serverId without parsing it, mostly. */
class BroadcasterFanoutTest {

    @Test
    void findsTheServerIdOfAWorkersMessageByScanning() {
        String message = BroadcasterWireTest.processed("1-0", "server-3");
        assertEquals("server-3", BroadcasterFanout.serverIdOf(message));
    }

    @Test
    void anEscapedIdTakesTheParserAndComesOutUnescaped() {
        String message = "{\"type\":\"metric.processed\",\"entryId\":\"1-0\","
                + "\"payload\":{\"serverId\":\"rack \\\"A\\\"\",\"timestamp\":1,\"metrics\":{}}}";
        assertEquals("rack \"A\"", BroadcasterFanout.serverIdOf(message));
    }

    @Test
    void aMessageWrittenWithSpacesIsStillRouted() {
        String message = "{ \"type\": \"metric.ingested\", \"payload\": { \"serverId\": \"s-1\" } }";
        assertEquals("s-1", BroadcasterFanout.serverIdOf(message));
    }

    @Test
    void aMessageWithoutAServerIdIsUnroutable() {
        assertNull(BroadcasterFanout.serverIdOf("{\"type\":\"metric.processed\",\"payload\":{}}"));
        assertNull(BroadcasterFanout.serverIdOf("{\"type\":\"x\",\"payload\":{\"serverId\":\"\"}}"));
        assertNull(BroadcasterFanout.serverIdOf("{\"payload\":{\"serverId\":42}}"));
        assertNull(BroadcasterFanout.serverIdOf("not json"));
        assertNull(BroadcasterFanout.serverIdOf("[1,2]"));
    }

    @Test
    void aDashboardThatNeverSubscribedWantsEverything() {
        assertEquals(true, BroadcasterSubscriptions.matches(null, "server-1"), "never subscribed");
        assertEquals(true, BroadcasterSubscriptions.matches("", "server-1"), "subscribed to all");
        assertEquals(true, BroadcasterSubscriptions.matches("server-1", "server-1"));
        assertEquals(false, BroadcasterSubscriptions.matches("server-1", "server-2"));
    }
}
