package analytics.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class ExternalToolTest {

    private static final String NO_SUCH_PROGRAM = "no-such-program-" + ProcessHandle.current().pid();

    @Test
    void findsTheFirstNameThatIsOnThePath() {
        Path sh = ExternalTool.onPath(List.of(NO_SUCH_PROGRAM, "sh")).orElseThrow();
        assertEquals("sh", sh.getFileName().toString());
        assertTrue(Files.isExecutable(sh), sh + " is not executable");
    }

    @Test
    void abortsWithTheInstallCommandWhenNoNameIsOnThePath() {
        TestAbortedException aborted = assertThrows(TestAbortedException.class, () ->
                ExternalTool.require("The tool", "apt-get install the-tool", List.of(NO_SUCH_PROGRAM)));
        assertEquals("The tool is not installed: apt-get install the-tool"
                + " (make test installs it when run as root on Debian/Ubuntu)", aborted.getMessage());
    }
}
