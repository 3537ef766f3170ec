package analytics.system2.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompensatedSumsTest {

    @Test
    void keepsASmallValueThatAPlainDoubleLosesBesideAHugeOne() {
        double plain = 1;
        plain += 1e17;
        plain -= 1e17;
        assertEquals(0, plain, "the failure this class exists for");

        CompensatedSums sums = new CompensatedSums(1);
        sums.add(0, 1);
        sums.add(0, 1e17);
        sums.subtract(0, 1e17);
        assertEquals(1, sums.value(0));
    }

    @Test
    void aLongSlidingChainOfAddsAndSubtractsStaysWithinRoundingOfTheExactSum() {
        Random random = new Random(11);
        CompensatedSums sums = new CompensatedSums(1);
        BigDecimal exact = BigDecimal.ZERO;
        double[] recent = new double[500];
        for (int i = 0; i < 200_000; i++) {
            double value = random.nextInt(1000) == 0
                    ? 1e12 * random.nextDouble() : random.nextDouble();
            double leaving = recent[i % recent.length]; // a window of the last 500 values
            recent[i % recent.length] = value;
            sums.add(0, value);
            sums.subtract(0, leaving);
            exact = exact.add(new BigDecimal(value)).subtract(new BigDecimal(leaving));
        }
        double want = exact.doubleValue(); // the exact sum, rounded once
        assertEquals(want, sums.value(0), Math.abs(want) * 1e-15);
    }

    @Test
    void lanesAreIndependent() {
        CompensatedSums sums = new CompensatedSums(3);
        sums.add(0, 1.5);
        sums.add(2, -4);
        assertEquals(1.5, sums.value(0));
        assertEquals(0, sums.value(1));
        assertEquals(-4, sums.value(2));
    }

    @Test
    void clearStartsEveryLaneFromExactlyZero() {
        CompensatedSums sums = new CompensatedSums(2);
        sums.add(0, 0.1);
        sums.add(0, 1e20);
        sums.add(1, 3);
        sums.clear();
        assertEquals(0, sums.value(0));
        assertEquals(0, sums.value(1));
    }
}
