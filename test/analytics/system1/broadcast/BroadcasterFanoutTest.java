package analytics.system1.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import analytics.fanout.Subscription;
import com.eclipsesource.json.Json;
import org.junit.jupiter.api.Test;

/** Routing a published message by its payload.serverId without parsing it, mostly. */
class BroadcasterFanoutTest {

    @Test
    void findsTheServerIdOfAWorkersMessageByScanning() {
        String message = BroadcasterFixture.processed("1-0", "server-3");
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
        assertEquals(true, BroadcasterSubscriptions.eachMetric(null, "server-1"), "never subscribed");
        assertEquals(true, BroadcasterSubscriptions.eachMetric(Subscription.EVERYTHING, "server-1"));
        Subscription one = new Subscription("server-1", Subscription.EACH_METRIC);
        assertEquals(true, BroadcasterSubscriptions.eachMetric(one, "server-1"));
        assertEquals(false, BroadcasterSubscriptions.eachMetric(one, "server-2"));
    }

    @Test
    void aTickDashboardWantsNoMetricOneByOne() {
        Subscription fleet = new Subscription(null, 250);
        assertEquals(false, BroadcasterSubscriptions.eachMetric(fleet, "server-1"), "its ticks carry them");
    }

    @Test
    void theTickElementIsThePayloadAsASnapshotHasIt() {
        String message = BroadcasterFixture.processed("1-0", "server-3");
        assertEquals(Json.parse("{\"serverId\":\"server-3\",\"timestamp\":1764180000000,\"metrics\":"
                + "{\"cpu\":42.5,\"memory\":61.2,\"disk\":70.1,\"network\":{\"in\":320,\"out\":210}}}"),
                BroadcasterFanout.payloadOf(message));
        assertNull(BroadcasterFanout.payloadOf("{\"type\":\"x\",\"payload\":[1]}"), "not an object");
        assertNull(BroadcasterFanout.payloadOf("not json"));
    }
}
