package analytics.system2.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.model.Metric;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleRingTest {

    private static Metric metric(long timestamp, double cpu) {
        return new Metric("s", timestamp, cpu, cpu + 1, cpu + 2,
                new Metric.Network(cpu + 3, cpu + 4), Map.of());
    }

    @Test
    void numbersSamplesByArrivalFromZero() {
        SampleRing ring = new SampleRing(3);
        assertEquals(0, ring.add(metric(100, 1)));
        assertEquals(1, ring.add(metric(50, 2)));
        assertEquals(0, ring.oldestSeq());
        assertEquals(2, ring.nextSeq());
        assertEquals(2, ring.size());
        assertFalse(ring.isFull());
        assertEquals(50, ring.timestamp(1), "arrival order, not timestamp order");
    }

    @Test
    void wrapsAroundAndOverwritesTheOldestFirst() {
        SampleRing ring = new SampleRing(3);
        for (int i = 0; i < 7; i++) {
            ring.add(metric(1000 + i, i));
        }
        assertTrue(ring.isFull());
        assertEquals(3, ring.size());
        assertEquals(4, ring.oldestSeq());
        assertEquals(7, ring.nextSeq());
        for (long seq = 4; seq < 7; seq++) {
            assertEquals(1000 + seq, ring.timestamp(seq));
            assertEquals(seq, ring.value(seq, Gauge.CPU));
            assertEquals(seq + 4, ring.value(seq, Gauge.NETWORK_OUT));
        }
    }

    @Test
    void refusesToReadAnOverwrittenOrFutureSample() {
        SampleRing ring = new SampleRing(2);
        for (int i = 0; i < 5; i++) {
            ring.add(metric(i, i));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> ring.timestamp(2));
        assertThrows(IndexOutOfBoundsException.class, () -> ring.value(5, Gauge.CPU));
        assertEquals(1, ring.slot(3));
    }

    @Test
    void aRingOfOneHoldsOnlyTheNewest() {
        SampleRing ring = new SampleRing(1);
        ring.add(metric(10, 1));
        ring.add(metric(20, 2));
        assertEquals(1, ring.oldestSeq());
        assertEquals(20, ring.timestamp(1));
        assertEquals(2, ring.value(1, Gauge.CPU));
    }

    @Test
    void storesEachGaugeInItsOwnLane() {
        SampleRing ring = new SampleRing(4);
        long seq = ring.add(metric(1, 10));
        assertEquals(10, ring.value(seq, Gauge.CPU));
        assertEquals(11, ring.value(seq, Gauge.MEMORY));
        assertEquals(12, ring.value(seq, Gauge.DISK));
        assertEquals(13, ring.value(seq, Gauge.NETWORK_IN));
        assertEquals(14, ring.value(seq, Gauge.NETWORK_OUT));
    }

    @Test
    void aMissingNetworkIsStoredAsZeroInAndOut() {
        SampleRing ring = new SampleRing(1);
        long seq = ring.add(new Metric("s", 1, 5, 6, 7, null, Map.of()));
        assertEquals(0, ring.value(seq, Gauge.NETWORK_IN));
        assertEquals(0, ring.value(seq, Gauge.NETWORK_OUT));
    }

    @Test
    void capsAHugeGaugeSoAFullRingStillSumsToAFiniteNumber() {
        int capacity = 1000;
        SampleRing ring = new SampleRing(capacity);
        double sum = 0;
        for (int i = 0; i < capacity; i++) {
            long seq = ring.add(new Metric("s", i, 1, 1, 1,
                    new Metric.Network(Double.MAX_VALUE, 1), Map.of()));
            sum += ring.value(seq, Gauge.NETWORK_IN);
        }
        assertTrue(Double.isFinite(sum), "sum " + sum);
        assertEquals(1, ring.value(0, Gauge.NETWORK_OUT), "ordinary values are untouched");
    }

    @Test
    void rejectsACapacityBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new SampleRing(0));
    }
}
