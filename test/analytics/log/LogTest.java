package analytics.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.CapturedLog;
import com.eclipsesource.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class LogTest {

    @AutoClose
    private final CapturedLog captured = CapturedLog.at(Log.Level.INFO);

    @Test
    void writesOneJsonObjectPerLineWithTypedFields() {
        Log.get("ingest").info("listening", "port", 4000, "ratio", 0.5, "ready", true, "host", "127.0.0.1");
        JsonObject line = captured.lines().get(0);
        assertEquals("info", line.get("level").asString());
        assertEquals("ingest", line.get("logger").asString());
        assertEquals("listening", line.get("message").asString());
        assertEquals(4000, line.get("port").asInt());
        assertEquals(0.5, line.get("ratio").asDouble());
        assertTrue(line.get("ready").asBoolean());
        assertEquals("127.0.0.1", line.get("host").asString());
        assertTrue(line.get("time").asString().endsWith("Z"));
    }

    @Test
    void quotesAndNewlinesInAMessageStayOnOneLine() {
        Log.get("x").warn("bad \"input\"\nsecond line", "value", "a\tb");
        assertEquals(1, captured.lines().size());
        assertEquals("bad \"input\"\nsecond line", captured.lines().get(0).get("message").asString());
    }

    @Test
    void dropsLinesBelowTheThreshold() {
        Log.setThreshold(Log.Level.WARN);
        Log log = Log.get("x");
        log.debug("d");
        log.info("i");
        log.warn("w");
        log.error("e", new IllegalStateException("boom"));
        List<JsonObject> lines = captured.lines();
        assertEquals(2, lines.size());
        assertEquals("w", lines.get(0).get("message").asString());
        assertEquals("java.lang.IllegalStateException: boom", lines.get(1).get("error").asString());
    }

    @Test
    void parsesLogLevelNames() {
        assertEquals(Log.Level.DEBUG, Log.Level.parse("debug"));
        assertEquals(Log.Level.WARN, Log.Level.parse(" WARN "));
        assertEquals(null, Log.Level.parse("verbose"));
    }

    @Test
    void systemLoggerGoesThroughOurFormat() {
        System.getLogger("jdk-part").log(System.Logger.Level.WARNING, "disk {0} full", "sda");
        JsonObject line = captured.lines().get(0);
        assertEquals("jdk-part", line.get("logger").asString());
        assertEquals("warn", line.get("level").asString());
        assertEquals("disk sda full", line.get("message").asString());
    }

    /** Jedis logs through slf4j; slf4j's System.Logger binding must land in our lines. */
    @Test
    void slf4jGoesThroughOurFormat() {
        org.slf4j.LoggerFactory.getLogger("redis.clients.test").warn("pool {} exhausted", "main");
        JsonObject line = captured.lines().stream()
                .filter(l -> l.get("logger").asString().equals("redis.clients.test"))
                .findFirst().orElseThrow();
        assertEquals("warn", line.get("level").asString());
        assertEquals("pool main exhausted", line.get("message").asString());
    }
}
