package analytics.loadtest.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DriverOptionsTest {

    @Test
    void defaultsAreTheOnesTheUsageStates() {
        DriverOptions options = DriverOptions.parse(List.of());
        assertEquals(DriverOptions.Model.OPEN, options.model());
        assertEquals(64, options.http1Connections());
        assertEquals(4, options.http2Connections());
        assertEquals(64, options.http2Streams());
        assertEquals(50, options.wsConnections());
        assertEquals(100, options.dashboards());
        assertEquals(List.of(64), options.inFlight());
        assertEquals(Duration.ofSeconds(10), options.timeout());
        assertTrue(options.csv().toString().matches("results/loadtest-\\d{8}-\\d{6}\\.csv"), options.csv().toString());
        for (String stated : List.of("(64)", "(4)", "(50)", "(100)", "(1000)", "(10000)")) {
            assertTrue(DriverOptions.USAGE.contains(stated), stated);
        }
    }

    @Test
    void readsEveryOption() {
        DriverOptions options = DriverOptions.parse(List.of("--csv", "out/x.csv", "--model", "closed",
                "--in-flight", "8,64", "--http1-connections", "32", "--http2-connections", "2",
                "--http2-streams", "10", "--ws-connections", "5", "--dashboards", "0", "--servers", "7",
                "--timeout-ms", "250", "--system1-pids", "11, 12", "--system2-pids", "13"));
        assertEquals(new DriverOptions(Path.of("out/x.csv"), DriverOptions.Model.CLOSED, List.of(8, 64),
                32, 2, 10, 5, 0, 7, Duration.ofMillis(250), List.of(11L, 12L), List.of(13L)), options);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --colour blue              | unknown option --colour
            --model                    | --model needs a value
            stray                      | unexpected argument stray
            --model fast               | --model must be open or closed, got "fast"
            --http1-connections 0      | --http1-connections must be a whole number from 1 to 10000, got "0"
            --ws-connections 5,6       | --ws-connections must be a whole number from 1 to 10000, got "5,6"
            --timeout-ms soon          | --timeout-ms must be a whole number from 1 to 600000, got "soon"
            --in-flight 8,,64          | --in-flight must be a whole number from 1 to 100000, got "8,,64"
            --system1-pids 12,me       | --system1-pids must be a list of process ids, got "12,me"
            """)
    void refusesABadOptionWithOneLineNamingIt(String args, String message) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> DriverOptions.parse(Arrays.asList(args.split(" "))));
        assertEquals(message, error.getMessage());
    }
}
