package analytics.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import analytics.model.FieldError;
import com.eclipsesource.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules both systems read a dashboard's request with: filter, mode, interval. */
class SubscriptionTest {

    private static Subscription read(String json, List<FieldError> errors) {
        return Subscription.read(Json.parse(json).asObject(), errors);
    }

    @Test
    void noModeMeansOneMessagePerMetricAndAnEmptyIdFollowsEveryServer() {
        List<FieldError> errors = new ArrayList<>();
        assertEquals(Subscription.EVERYTHING, read("{\"serverId\":\"\"}", errors));
        assertEquals(Subscription.EVERYTHING, read("{\"serverId\":null,\"mode\":null}", errors));
        assertEquals(new Subscription("s-1", 0), read("{\"serverId\":\"s-1\"}", errors));
        assertEquals(List.of(), errors);
    }

    @ParameterizedTest
    @ValueSource(ints = {50, 250, 60_000})
    void aWholeIntervalWithinTheBoundsIsTickMode(int intervalMs) {
        List<FieldError> errors = new ArrayList<>();
        Subscription ticks = read("{\"mode\":\"tick\",\"intervalMs\":" + intervalMs + "}", errors);
        assertEquals(List.of(), errors);
        assertEquals(intervalMs, ticks.tickIntervalMs());
        assertEquals(true, ticks.ticks());
    }

    @ParameterizedTest
    @ValueSource(strings = {"49", "60001", "-250", "250.5", "1e9", "\"250\"", "null", "[250]"})
    void anIntervalOutOfBoundsOrNotAWholeNumberIsRefused(String intervalMs) {
        List<FieldError> errors = new ArrayList<>();
        assertNull(read("{\"mode\":\"tick\",\"intervalMs\":" + intervalMs + "}", errors));
        assertEquals(List.of(new FieldError("intervalMs", "must be a whole number from 50 to 60000")), errors);
    }

    @Test
    void everyMistakeIsReportedAtOnce() {
        List<FieldError> errors = new ArrayList<>();
        assertNull(read("{\"serverId\":7,\"mode\":\"stream\"}", errors));
        assertEquals(List.of(new FieldError("serverId", "must be a string or null"),
                new FieldError("mode", "must be \"tick\" or absent")), errors);
    }
}
