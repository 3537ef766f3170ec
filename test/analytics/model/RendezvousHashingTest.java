package analytics.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The reference answer to lesson 22's exercise 2: what a fourth shard moves. Modulo hashing
 * (ServerShards) moves about three ids in four, between any shards; rendezvous hashing (the
 * shard with the highest CRC-32 of "id#shard" wins) moves about one in four, and only to the
 * new shard.
 */
class RendezvousHashingTest {

    private static final int IDS = 10_000;

    /** Highest random weight: every shard scores the id, the best score owns it. */
    static int rendezvousOwnerOf(String serverId, int shardCount) {
        int owner = 0;
        long best = -1;
        for (int shard = 0; shard < shardCount; shard++) {
            CRC32 crc = new CRC32();
            crc.update((serverId + "#" + shard).getBytes(StandardCharsets.UTF_8));
            if (crc.getValue() > best) {
                best = crc.getValue();
                owner = shard;
            }
        }
        return owner;
    }

    @Test
    void aFourthShardMovesAboutThreeInFourIdsUnderModulo() {
        int moved = 0;
        for (int i = 1; i <= IDS; i++) {
            String id = "server-" + i;
            if (ServerShards.ownerOf(id, 3) != ServerShards.ownerOf(id, 4)) {
                moved++;
            }
        }
        assertTrue(moved > 7_000 && moved < 8_000, moved + " of " + IDS + " moved");
    }

    @Test
    void aFourthShardMovesAboutOneInFourIdsUnderRendezvousAllToTheNewShard() {
        int moved = 0;
        for (int i = 1; i <= IDS; i++) {
            String id = "server-" + i;
            int before = rendezvousOwnerOf(id, 3);
            int after = rendezvousOwnerOf(id, 4);
            if (before != after) {
                moved++;
                assertEquals(3, after, id + " moved between old shards");
            }
        }
        assertTrue(moved > 2_000 && moved < 3_000, moved + " of " + IDS + " moved");
    }
}
