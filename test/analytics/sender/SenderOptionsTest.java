package analytics.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import analytics.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SenderOptionsTest {

    private static final Config.FakeServers FAKE = Config.from(Map.of(
            "FAKE_SERVER_COUNT", "7", "FAKE_SERVER_INTERVAL_MS", "250", "FAKE_JITTER_MS", "30",
            "FAKE_SPIKE_PROBABILITY", "0.1", "FAKE_SPIKE_MULTIPLIER", "3",
            "FAKE_HTTP_TARGET", "http://ingest:4000/metrics", "FAKE_WS_TARGET", "ws://system2:4100")).fakeServers();

    private static SenderOptions parse(String... args) {
        return SenderOptions.parse(args, FAKE);
    }

    @Test
    void withoutFlagsEverythingComesFromTheConfiguration() {
        SenderOptions options = parse();
        assertEquals(SenderOptions.Mode.HTTP, options.mode());
        assertEquals(URI.create("http://ingest:4000/metrics"), options.target());
        assertEquals(7, options.count());
        assertEquals(SenderOptions.DEFAULT_SEED, options.seed());
        assertNull(options.duration());
        assertEquals(Duration.ofMillis(250), options.interval());
        assertEquals(Duration.ofMillis(30), options.jitter());
        assertEquals(0.1, options.spikeProbability());
        assertEquals(3, options.spikeMultiplier());
        assertEquals(10_000, options.bufferSize());
    }

    @Test
    void flagsOverrideTheConfiguration() {
        SenderOptions options = parse("--mode", "ws", "--count", "10000", "--seed", "-5", "--duration", "15");
        assertEquals(SenderOptions.Mode.WS, options.mode());
        assertEquals(URI.create("ws://system2:4100"), options.target(), "ws mode defaults to FAKE_WS_TARGET");
        assertEquals(10_000, options.count());
        assertEquals(-5, options.seed());
        assertEquals(Duration.ofSeconds(15), options.duration());
        assertEquals(URI.create("http://127.0.0.1:5000/metrics"),
                parse("--mode", "h2", "--target", "http://127.0.0.1:5000/metrics").target());
    }

    @Test
    void shardsComeFromTheFlagOrTheConfigurationAndOnlyForWs() {
        List<URI> two = List.of(URI.create("ws://127.0.0.1:4100"), URI.create("ws://127.0.0.1:4101"));
        assertEquals(two, parse("--mode", "ws", "--shards", "ws://127.0.0.1:4100,ws://127.0.0.1:4101").shards());
        assertEquals(List.of(), parse("--mode", "ws").shards(), "unset: one System 2");

        Config.FakeServers sharded = Config.from(Map.of(
                "FAKE_SYSTEM2_SHARDS", "ws://127.0.0.1:4100,ws://127.0.0.1:4101")).fakeServers();
        assertEquals(two, SenderOptions.parse(new String[] {"--mode", "ws"}, sharded).shards());
        assertEquals(List.of(), SenderOptions.parse(new String[] {"--mode", "http"}, sharded).shards(),
                "the shards are System 2's: an HTTP run ignores them");
        SenderOptions one = SenderOptions.parse(new String[] {"--mode", "ws", "--target", "ws://x:1"}, sharded);
        assertEquals(List.of(), one.shards(), "an explicit --target wins over the configured shards");
        assertEquals(URI.create("ws://x:1"), one.target());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --mode tcp                      | --mode must be http, h2 or ws, not 'tcp'
            --count 0                       | --count must be a whole number from 1 to 1000000, not '0'
            --count many                    | --count must be a whole number from 1 to 1000000, not 'many'
            --seed 1.5                      | --seed must be a whole number, not '1.5'
            --duration -1                   | --duration must be a whole number from 1 to 31536000, not '-1'
            --target localhost:4000         | --target must be an http:// or ws:// URI with a host, not 'localhost:4000'
            --mode ws --target http://a:1/m | --target http://a:1/m does not suit --mode ws (needs ws://)
            --target ws://a:1               | --target ws://a:1 does not suit --mode http (needs http://)
            --verbose yes                   | unknown flag --verbose
            --count                         | --count needs a value
            servers 10                      | unexpected argument 'servers'
            --mode ws --shards ws://a:1,http://b:2 | --shards must be ws:// URIs with a host, separated by commas, none twice, not 'ws://a:1,http://b:2'
            --mode ws --shards ws://a:1,ws://a:1 | --shards must be ws:// URIs with a host, separated by commas, none twice, not 'ws://a:1,ws://a:1'
            --mode ws --shards ws://a:1,        | --shards must be ws:// URIs with a host, separated by commas, none twice, not 'ws://a:1,'
            --shards ws://a:1,ws://b:2          | --shards needs --mode ws
            --mode ws --target ws://a:1 --shards ws://b:2,ws://c:3 | --shards and --target both say where to send: give one
            """)
    void aBadFlagIsRefusedWithALineThatNamesIt(String args, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(args.split(" ")));
        assertEquals(message, e.getMessage());
    }
}
