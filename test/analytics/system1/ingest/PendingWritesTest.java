package analytics.system1.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PendingWritesTest {

    @Test
    void admitsSingleMetricsUpToTheLimitAndShedsTheNext() {
        PendingWrites pending = new PendingWrites(3);
        assertTrue(pending.tryAdmit(1));
        assertTrue(pending.tryAdmit(1));
        assertFalse(pending.full());
        assertTrue(pending.tryAdmit(1));
        assertTrue(pending.full());
        assertFalse(pending.tryAdmit(1), "the limit + 1st");
        assertEquals(3, pending.waiting(), "a refusal adds nothing");
        assertEquals(1, pending.shed());
        assertEquals("ingest overloaded: 3 metrics waiting for Redis (SYSTEM1_MAX_PENDING_WRITES 3)",
                pending.refusal());
        pending.release(1);
        assertTrue(pending.tryAdmit(1), "admits again once one was answered");
    }

    @Test
    void aBatchCountsAsItsMetricsAndGetsInWholeWhileBelowTheLimit() {
        PendingWrites pending = new PendingWrites(10);
        assertTrue(pending.tryAdmit(9));
        assertTrue(pending.tryAdmit(500), "below the limit: admitted whole, never split or starved");
        assertEquals(509, pending.waiting());
        assertFalse(pending.tryAdmit(1));
        pending.release(500);
        pending.release(9);
        assertEquals(0, pending.waiting());
    }

    @Test
    void neverAdmitsMoreSingleMetricsThanTheLimitUnderContention() throws Exception {
        int limit = 50;
        PendingWrites pending = new PendingWrites(limit);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> tries = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 400; i++) {
                tries.add(threads.submit(() -> {
                    go.await();
                    if (pending.tryAdmit(1)) {
                        admitted.incrementAndGet(); // held, never released: the count must stop at the limit
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> attempt : tries) {
                attempt.get();
            }
        }
        assertEquals(limit, admitted.get());
        assertEquals(limit, pending.waiting());
        assertEquals(400 - limit, pending.shed());
    }

    @Test
    void refusesALimitBelowOne() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new PendingWrites(0));
        assertEquals("the limit must be at least 1, got 0", error.getMessage());
    }
}
