package analytics.loadtest.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import analytics.model.MetricValidator;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The driver's metrics must be ones the systems accept: checked by the systems' own validator. */
class MetricPayloadTest {

    private final MetricPayload payload = new MetricPayload(50);
    private final long now = System.currentTimeMillis();

    @Test
    void everyHttpBodyIsAValidMetricOfTheContract() {
        MetricValidator validator = new MetricValidator(Set.of());
        for (long seq = 0; seq < 2_000; seq += 7) {
            JsonObject body = Json.parse(payload.httpBody(seq, now)).asObject();
            assertInstanceOf(MetricValidator.Valid.class, validator.validate(body), body.toString());
        }
    }

    @Test
    void aWebSocketMessageIsAProducerMetricCarryingItsSeqAsId() {
        JsonObject message = Json.parse(payload.webSocketMessage(1234, now)).asObject();
        assertEquals("metric", message.getString("type", ""));
        assertEquals(1234, message.getLong("id", -1));
        assertEquals(now, message.getLong("timestamp", -1));
        message.remove("type").remove("id");
        assertInstanceOf(MetricValidator.Valid.class, new MetricValidator(Set.of()).validate(message));
    }

    @Test
    void spreadsTheMetricsOverTheSimulatedServers() {
        assertEquals("load-0", payload.serverId(0));
        assertEquals("load-49", payload.serverId(49));
        assertEquals("load-0", payload.serverId(50));
        assertNotEquals(payload.httpBody(1, now), payload.httpBody(2, now));
    }
}
