package analytics.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The shard function everyone must agree on: its values are fixed, checked against Python's zlib. */
class ServerShardsTest {

    @Test
    void ownerIsTheCrc32CheckValueModuloTheShardCount() {
        // CRC-32's published check value: crc32("123456789") = 0xCBF43926 = 3421780262.
        assertEquals(3421780262L % 3, ServerShards.ownerOf("123456789", 3));
        assertEquals(5, ServerShards.ownerOf("123456789", 7));
        assertEquals(0, ServerShards.ownerOf("123456789", 1));
    }

    @Test
    void ownersMatchWhatPythonsZlibComputes() {
        // python3 -c 'import zlib; print(zlib.crc32(b"server-7") % 3)' and so on
        assertEquals(0, ServerShards.ownerOf("server-1", 3));
        assertEquals(2, ServerShards.ownerOf("server-2", 3));
        assertEquals(2, ServerShards.ownerOf("server-7", 3));
        assertEquals(0, ServerShards.ownerOf("server-7", 2));
        assertEquals(4, ServerShards.ownerOf("sérveur", 5), "hashed as UTF-8 bytes");
    }

    @Test
    void tenThousandServersSpreadEvenlyOverThreeShards() {
        int[] owned = new int[3];
        for (int i = 1; i <= 10_000; i++) {
            owned[ServerShards.ownerOf("server-" + i, 3)]++;
        }
        for (int count : owned) {
            assertTrue(count > 3_200 && count < 3_470, "a shard owns " + count + " of 10,000");
        }
    }

    @Test
    void refusesZeroShards() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerShards.ownerOf("server-1", 0));
        assertEquals("shardCount must be at least 1, got 0", e.getMessage());
    }
}
