package analytics.loadtest.report;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A results file that is not in the run CSV's format. The message is one line a person can
 * act on, compiler style: {@code results/x.csv:3: achieved_per_s is not a number: "abc"}.
 *
 * Pattern: an error that carries its location, built by one factory method.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Not here: which line is wrong (ResultsCsv decides); printing it (the driver's main).
 * Threads: immutable.
 */
public final class ResultsFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private ResultsFormatException(String message) {
        super(message);
    }

    /** A problem at one line; {@code line} counts from 1, the header being line 1. */
    static ResultsFormatException at(Path file, int line, String problem) {
        return new ResultsFormatException(file + ":" + line + ": " + problem);
    }

    /** A problem with the file as a whole (it holds no rows). */
    static ResultsFormatException of(Path file, String problem) {
        return new ResultsFormatException(file + ": " + problem);
    }
}
