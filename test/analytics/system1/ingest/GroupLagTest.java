package analytics.system1.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import analytics.config.Config;
import analytics.redis.RedisConnector;
import analytics.system1.redis.StreamFields;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;

/**
 * What GroupLag measures on a real redis-server, in each state the stream and the group
 * can be in: no stream, no group, a group behind, and Redis's null lag after XDEL.
 */
@ExtendWith(RedisExtension.class)
class GroupLagTest {

    private static final String GROUP = StreamFields.GROUP;
    private static final long MAX_LAG = 100;

    private final String streamKey = "test:group-lag:" + System.nanoTime();
    private Jedis jedis;
    private GroupLag lag;

    @BeforeEach
    void connect(RedisProcess redis) {
        jedis = redis.jedis();
        Config config = redis.config();
        lag = new GroupLag(new RedisConnector(config.redis(), "test-group-lag"), streamKey, GROUP, MAX_LAG);
    }

    @AfterEach
    void close() {
        jedis.close();
    }

    private List<StreamEntryID> add(int count) {
        List<StreamEntryID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(jedis.xadd(streamKey, XAddParams.xAddParams(), Map.of("n", Integer.toString(i))));
        }
        return ids;
    }

    private void read(int count) {
        jedis.xreadGroup(GROUP, "reader", XReadGroupParams.xReadGroupParams().count(count),
                Map.of(streamKey, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    }

    private GroupLag.Reading measure() {
        GroupLag.Reading reading = lag.measure(jedis);
        return new GroupLag.Reading(reading.streamLength(), reading.lag(), reading.pending(),
                reading.groupExists(), 0); // "when" is not compared
    }

    @Test
    void noStreamYetMeansNoLag() {
        assertEquals(new GroupLag.Reading(0, 0, 0, false, 0), measure());
    }

    @Test
    void withoutAGroupEveryEntryIsWaiting() {
        add(3);
        assertEquals(new GroupLag.Reading(3, 3, 0, false, 0), measure());
    }

    @Test
    void theLagCountsUndeliveredEntriesAndPendingTheUnacknowledged() {
        add(5);
        jedis.xgroupCreate(streamKey, GROUP, new StreamEntryID(0, 0), false);
        assertEquals(new GroupLag.Reading(5, 5, 0, true, 0), measure());
        read(2);
        assertEquals(new GroupLag.Reading(5, 3, 2, true, 0), measure());
    }

    @Test
    void afterXdelRedisCannotCountSoTheEntriesAfterTheGroupAreCounted() {
        List<StreamEntryID> ids = add(4);
        jedis.xgroupCreate(streamKey, GROUP, new StreamEntryID(0, 0), false);
        read(1);
        jedis.xdel(streamKey, ids.get(2)); // a hole ahead of the group: XINFO's lag is null
        assertEquals(null, jedis.xinfoGroups(streamKey).get(0).getGroupInfo().get("lag"));
        assertEquals(new GroupLag.Reading(3, 2, 1, true, 0), measure());
        read(10);
        assertEquals(0, measure().lag());
    }
}
