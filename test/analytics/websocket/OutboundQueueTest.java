package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

    private static final long BUDGET = 100;
    private static final long GRACE = TimeUnit.MILLISECONDS.toNanos(500);

    /** The queue's clock: time moves only when a test says so. */
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final OutboundQueue queue = new OutboundQueue(BUDGET, now::get);

    private static byte[] frame(int length) {
        return new byte[length];
    }

    private List<byte[]> drain() throws InterruptedException {
        return queue.takeAll(0, TimeUnit.MILLISECONDS);
    }

    @Test
    void queuesDataWithinTheBudget() throws Exception {
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(frame(60)));
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(frame(40)));
        assertEquals(2, drain().size());
        assertEquals(0, queue.dropped());
    }

    @Test
    void dropsDataOverTheBudgetAndCountsIt() throws Exception {
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(frame(60)));
        assertEquals(OutboundQueue.Offer.DROPPED, queue.offer(frame(60)));
        assertEquals(OutboundQueue.Offer.DROPPED, queue.offer(frame(41)));
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(frame(40)), "what still fits is queued");
        assertEquals(2, queue.dropped());
        assertEquals(2, drain().size());
    }

    /** One frame larger than the whole budget still goes out when nothing is waiting. */
    @Test
    void queuesAnOversizedFrameIntoAnEmptyQueue() throws Exception {
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(frame(500)));
        assertEquals(OutboundQueue.Offer.DROPPED, queue.offer(frame(1)));
        assertEquals(1, drain().size());
    }

    @Test
    void neverDropsControlFrames() throws Exception {
        queue.offer(frame(100));
        assertEquals(OutboundQueue.Offer.DROPPED, queue.offer(frame(10)));
        byte[] pong = frame(2);
        for (int i = 0; i < 10; i++) {
            assertTrue(queue.offerControl(pong));
        }
        assertEquals(11, drain().size());
        assertEquals(1, queue.dropped());
    }

    @Test
    void offerLastRefusesEveryLaterFrame() throws Exception {
        byte[] data = frame(10);
        byte[] close = frame(4);
        queue.offer(data);
        assertTrue(queue.offerLast(close, false));
        assertEquals(OutboundQueue.Offer.CLOSED, queue.offer(frame(1)));
        assertFalse(queue.offerControl(frame(2)));
        assertFalse(queue.offerLast(frame(4), false), "only one close frame");
        assertFalse(queue.isFinished(), "the close frame is not written yet");
        List<byte[]> batch = drain();
        assertEquals(2, batch.size());
        assertSame(data, batch.get(0));
        assertSame(close, batch.get(1), "the close frame is the last frame");
        assertTrue(queue.isFinished());
    }

    @Test
    void offerLastCanDiscardPendingFrames() throws Exception {
        queue.offer(frame(50));
        queue.offerControl(frame(2));
        byte[] close = frame(4);
        assertTrue(queue.offerLast(close, true));
        List<byte[]> batch = drain();
        assertEquals(1, batch.size());
        assertSame(close, batch.get(0));
    }

    @Test
    void measuresTheOverBudgetGraceWithItsClock() throws Exception {
        queue.offer(frame(100));
        assertFalse(queue.overBudgetLongerThan(GRACE), "full is not over budget until a drop");
        queue.offer(frame(1)); // dropped: over budget from now
        now.addAndGet(GRACE - 1);
        assertFalse(queue.overBudgetLongerThan(GRACE));
        queue.offer(frame(1)); // later drops do not restart the clock
        now.addAndGet(1);
        assertTrue(queue.overBudgetLongerThan(GRACE));
    }

    @Test
    void drainingEndsTheOverBudgetPeriod() throws Exception {
        queue.offer(frame(100));
        queue.offer(frame(1));
        now.addAndGet(GRACE);
        assertTrue(queue.overBudgetLongerThan(GRACE));
        drain();
        assertFalse(queue.overBudgetLongerThan(GRACE));
        now.addAndGet(10 * GRACE);
        assertFalse(queue.overBudgetLongerThan(GRACE), "under budget since the drain");
    }

    @Test
    void takeAllAnswersEmptyWhenNothingArrives() throws Exception {
        assertEquals(List.of(), drain());
    }
}
