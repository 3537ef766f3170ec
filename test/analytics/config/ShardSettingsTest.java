package analytics.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.sender.SendersMain;
import analytics.system2.System2Main;
import analytics.testing.ChildRun;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The settings of a sharded System 2: the senders' shard list and the bridge's Redis. */
class ShardSettingsTest {

    @Test
    void unsetTheyLeaveOneSystem2WithoutABridge() {
        Config config = Config.from(Map.of());
        assertEquals(List.of(), config.fakeServers().system2Shards());
        assertNull(config.system2().bridgeRedis());
        assertFalse(config.system2().bridged());
        assertEquals("system2:bridge", config.system2().bridgeChannel());
    }

    @Test
    void shardsKeepTheirOrderWhichIsTheirNumber() {
        Config config = Config.from(Map.of("FAKE_SYSTEM2_SHARDS",
                " ws://127.0.0.1:4101 , ws://127.0.0.1:4100,wss://example.org:443"));
        assertEquals(List.of(URI.create("ws://127.0.0.1:4101"), URI.create("ws://127.0.0.1:4100"),
                URI.create("wss://example.org:443")), config.fakeServers().system2Shards());
    }

    @Test
    void readsTheBridgeUrlAsRedisClientsWriteIt() {
        assertEquals(new Config.Redis("127.0.0.1", 6379, 0, "", ""), bridge("redis://127.0.0.1"));
        assertEquals(new Config.Redis("cache", 6380, 3, "", ""), bridge("redis://cache:6380/3"));
        assertEquals(new Config.Redis("cache", 6379, 0, "bridge", "p@ss:w+rd"),
                bridge("redis://bridge:p%40ss:w+rd@cache/"));
        assertEquals(new Config.Redis("cache", 6379, 0, "", "secret"), bridge("redis://:secret@cache"));
        assertTrue(Config.from(Map.of("SYSTEM2_BRIDGE_REDIS_URL", "redis://h:1")).system2().bridged());
    }

    private static Config.Redis bridge(String url) {
        return Config.from(Map.of("SYSTEM2_BRIDGE_REDIS_URL", url)).system2().bridgeRedis();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            FAKE_SYSTEM2_SHARDS      | http://a:1 | FAKE_SYSTEM2_SHARDS must be a comma-separated list of URLs starting with ws:// or wss://, none twice, got "http://a:1"
            FAKE_SYSTEM2_SHARDS      | ws://a:1,,ws://b:2 | FAKE_SYSTEM2_SHARDS must be a comma-separated list of URLs starting with ws:// or wss://, none twice, got "ws://a:1,,ws://b:2"
            FAKE_SYSTEM2_SHARDS      | ws://a:1,ws://a:1 | FAKE_SYSTEM2_SHARDS must be a comma-separated list of URLs starting with ws:// or wss://, none twice, got "ws://a:1,ws://a:1"
            SYSTEM2_BRIDGE_REDIS_URL | localhost:6379 | SYSTEM2_BRIDGE_REDIS_URL must be a URL redis://[user:password@]host[:port][/db] with a db from 0 to 15, got "localhost:6379"
            SYSTEM2_BRIDGE_REDIS_URL | redis://h/16 | SYSTEM2_BRIDGE_REDIS_URL must be a URL redis://[user:password@]host[:port][/db] with a db from 0 to 15, got "redis://h/16"
            SYSTEM2_BRIDGE_REDIS_URL | redis://u:hunter2@/0 | SYSTEM2_BRIDGE_REDIS_URL must be a URL redis://[user:password@]host[:port][/db] with a db from 0 to 15, got "redis://u:********@/0"
            """)
    void refusesABadValueWithOneLineNamingTheVariable(String name, String value, String expected) {
        ConfigException error = assertThrows(ConfigException.class, () -> Config.from(Map.of(name, value)));
        assertEquals(expected, error.getMessage());
    }

    @Test
    void makeConfigShowsTheBridgeWithoutItsPassword() {
        Map<String, String> shown = Config.describe(Map.of("SYSTEM2_BRIDGE_REDIS_URL",
                "redis://bridge:hunter2@cache:6380"));
        assertEquals("redis://bridge:********@cache:6380", shown.get("SYSTEM2_BRIDGE_REDIS_URL"));
        assertEquals("", Config.describe(Map.of()).get("SYSTEM2_BRIDGE_REDIS_URL"));
    }

    /** Both programs that read them stop with one line and status 78, as for any setting. */
    @Test
    void badShardSettingsStopTheProgramsWithExit78() throws Exception {
        ChildRun system2 = java(System2Main.class, Map.of("SYSTEM2_BRIDGE_REDIS_URL", "redis://h/99"));
        assertEquals(ConfigMain.EXIT_BAD_CONFIG, system2.exit(), system2.output());
        assertEquals("system2: SYSTEM2_BRIDGE_REDIS_URL must be a URL redis://[user:password@]host[:port][/db]"
                + " with a db from 0 to 15, got \"redis://h/99\"", system2.output().strip());
        ChildRun sender = java(SendersMain.class, Map.of("FAKE_SYSTEM2_SHARDS", "ws://a:1,tcp://b:2"));
        assertEquals(ConfigMain.EXIT_BAD_CONFIG, sender.exit(), sender.output());
        assertEquals("sender: FAKE_SYSTEM2_SHARDS must be a comma-separated list of URLs starting with"
                + " ws:// or wss://, none twice, got \"ws://a:1,tcp://b:2\"", sender.output().strip());
    }

    private static ChildRun java(Class<?> main, Map<String, String> environment) throws InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ChildRun run = ChildRun.run(List.of(java, "-cp", System.getProperty("java.class.path"), main.getName()),
                environment, Duration.ofSeconds(30));
        assertTrue(run != null, "java could not be started");
        return run;
    }
}
