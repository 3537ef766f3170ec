package analytics.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The campaign's command line: what it accepts, and that everything else is refused with a
 * message naming the option and what would be right - before any process is started.
 * (The campaign itself runs in CI through scripts/faults.sh: `make faults`.)
 */
class FaultCampaignOptionsTest {

    @Test
    void defaultsAreTheDocumentedPace() {
        assertEquals(Pace.DEFAULT, FaultCampaignMain.pace(FaultCampaignMain.options(new String[0])));
        assertEquals(9, FaultCampaignMain.chosen("").size(), "every scenario by default");
    }

    @Test
    void optionsSetThePaceAndPickScenarios() {
        Map<String, String> options = FaultCampaignMain.options(
                new String[] {"--steady", "60", "--kills", "30", "--kill-every", "2", "--rate", "500",
                              "--overload", "5", "--only", "worker-kills, redis-kill"});
        Pace pace = FaultCampaignMain.pace(options);
        assertEquals(Duration.ofSeconds(60), pace.steady());
        assertEquals(30, pace.workerKills());
        assertEquals(Duration.ofSeconds(2), pace.killEvery());
        assertEquals(500, pace.rate());
        assertEquals(Duration.ofSeconds(5), pace.overload());
        assertEquals(List.of("worker-kills", "redis-kill"),
                FaultCampaignMain.chosen(options.get("only")).stream().map(Scenario::name).toList());
    }

    @Test
    void rejectsUnknownOptionsMissingValuesAndOutOfRangeNumbers() {
        assertMessage("unknown option --seconds", () -> FaultCampaignMain.options(new String[] {"--seconds", "3"}));
        assertMessage("--rate needs a value", () -> FaultCampaignMain.options(new String[] {"--rate"}));
        assertMessage("--rate must be a whole number from 1 to 5000, not '0'",
                () -> FaultCampaignMain.pace(Map.of("rate", "0")));
        assertMessage("--steady must be a whole number from 1 to 3600, not 'ten'",
                () -> FaultCampaignMain.pace(Map.of("steady", "ten")));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> FaultCampaignMain.chosen("redis-kill,kill-everything"));
        assertTrue(unknown.getMessage().startsWith("no scenario 'kill-everything'; there are redis-kill, "),
                unknown.getMessage());
    }

    private static void assertMessage(String expected, Runnable parse) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, parse::run).getMessage());
    }
}
