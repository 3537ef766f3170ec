package analytics.model;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which of N shards owns a server: CRC-32 of the serverId's UTF-8 bytes, read as an
 * unsigned number, modulo N - the System 2 instance the senders route it to, and the stream
 * shard of System 1 its metrics go into (StreamShards). The tests check with it;
 * anyone can compute it (Python's {@code zlib.crc32(b"server-7") % 3}, Go's
 * {@code crc32.ChecksumIEEE}), because it is written down in the contract.
 *
 * Pattern: partitioning by a hash of the key - a stable function of the id alone, so no
 *          directory has to be asked and every client agrees without talking.
 * Lesson:  lessons/22-sharding-system2.md, lessons/21-scaling-system1-out.md   Spec: ISO-HDLC CRC-32 (the one of zip and PNG)
 * Not here: rebalancing. Adding a shard moves about (N-1)/N of the servers (mod N, not a
 *           consistent-hash ring); for an in-memory System 2 that means their windows
 *           start afresh on the new owner, which lesson 22 says and production would avoid.
 * Threads: stateless.
 */
public final class ServerShards {

    private ServerShards() {
    }

    /** The index, from 0 to {@code shardCount - 1}, of the shard that owns {@code serverId}. */
    public static int ownerOf(String serverId, int shardCount) {
        if (shardCount < 1) {
            throw new IllegalArgumentException("shardCount must be at least 1, got " + shardCount);
        }
        if (shardCount == 1) {
            return 0; // the usual case, once per metric on ingest's path: no bytes, no checksum
        }
        CRC32 crc = new CRC32();
        crc.update(serverId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shardCount); // getValue() is already unsigned (0..2^32-1)
    }
}
