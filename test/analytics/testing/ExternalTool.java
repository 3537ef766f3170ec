package analytics.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A program a test needs from outside the JDK (a browser, another language's client, an
 * HTTP/2 load tool): found on the PATH, or the test is aborted - JUnit reports it skipped
 * with the reason, never failed and never passed - naming what to install.
 *
 * Pattern: an honest skip: a missing tool is said once, in the words scripts/ensure-tools.sh
 *          uses, instead of a failure of the code or a silent pass.
 * Lesson:  lessons/01-build-and-test.md
 * Not here: installing it - `make test` runs scripts/ensure-tools.sh, which does as root.
 * Threads: any; no state.
 */
public final class ExternalTool {

    private ExternalTool() {
    }

    /** The first of {@code names} that is an executable file in a directory of the PATH. */
    public static Optional<Path> onPath(List<String> names) {
        List<Path> directories = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(directory -> !directory.isEmpty()).map(Path::of).toList();
        return names.stream()
                .flatMap(name -> directories.stream().map(directory -> directory.resolve(name)))
                .filter(Files::isExecutable).findFirst();
    }

    /** The first of {@code names} on the PATH; when there is none, aborts the running test. */
    public static Path require(String what, String install, List<String> names) {
        return onPath(names).orElseGet(() -> missing(what, install));
    }

    /**
     * Aborts the running test because {@code what} is not installed. The reason reads like
     * ensure-tools's line: "Chromium is not installed: apt-get install chromium (...)".
     */
    public static <T> T missing(String what, String install) {
        return Assumptions.abort(what + " is not installed: " + install
                + " (make test installs it when run as root on Debian/Ubuntu)");
    }
}
