package analytics.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.CapturedLog;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class UntrustedTest {

    @AutoClose
    private final CapturedLog captured = CapturedLog.at(Log.Level.INFO);

    @Test
    void leavesOrdinaryTextAlone() {
        assertEquals("server-1", Untrusted.text("server-1"));
        assertEquals("Grüße-東京-🙂", Untrusted.text("Grüße-東京-🙂"));
        assertEquals("", Untrusted.text(""));
        assertNull(Untrusted.text(null));
    }

    @Test
    void escapesQuotesBackslashesAndLineBreaks() {
        assertEquals("a\\nb\\r\\tc\\\"d\\\\e", Untrusted.text("a\nb\r\tc\"d\\e"));
    }

    @Test
    void escapesControlsThatFoolATerminalOrAReader() {
        assertEquals("\\u001b[31mred", Untrusted.text("\u001b[31mred"), "ANSI escape");
        assertEquals("\\u0000\\u007f\\u0085", Untrusted.text("\u0000\u007f\u0085"), "NUL, DEL, C1 NEL");
        assertEquals("\\u2028\\u2029", Untrusted.text("\u2028\u2029"), "line and paragraph separators");
        assertEquals("admin\\u202etxt.exe", Untrusted.text("admin\u202etxt.exe"), "right-to-left override");
        assertEquals("\\u2066x\\u2069", Untrusted.text("\u2066x\u2069"), "bidi isolates");
        assertEquals("\\ud800x", Untrusted.text("\ud800x"), "a lone surrogate");
    }

    @Test
    void cutsLongTextToSixtyFourCharactersAndMarksTheCut() {
        String cut = Untrusted.text("x".repeat(10_000));
        assertEquals("x".repeat(64) + "…", cut);
        assertEquals("x".repeat(64), Untrusted.text("x".repeat(64)), "exactly the limit is not cut");
    }

    @Test
    void neverCutsInsideAnEscapeOrASurrogatePair() {
        // 63 plain characters leave room for 1 more: "\n" (2 characters) does not fit whole.
        assertEquals("y".repeat(63) + "…", Untrusted.text("y".repeat(63) + "\nzzz"));
        assertEquals("y".repeat(63) + "…", Untrusted.text("y".repeat(63) + "🙂"));
        assertEquals("y".repeat(62) + "🙂…", Untrusted.text("y".repeat(62) + "🙂z"));
    }

    @Test
    void takesAnotherLimitForLongerDebugFields() {
        assertEquals("ab…", Untrusted.text("abcdef", 2));
        assertEquals(300 + 1, Untrusted.text("q".repeat(1_000), 300).length());
    }

    /** The forged line: a newline followed by what looks like a log line of its own. */
    @Test
    void aForgedSecondLineStaysInsideOneShortField() {
        String serverId = "evil\n{\"level\":\"info\",\"message\":\"admin logged in\"}" + "J".repeat(10_240);
        Log.get("x").warn("refused", "serverId", Untrusted.text(serverId));
        assertEquals(1, captured.lines().size());
        String logged = captured.lines().get(0).get("serverId").asString();
        assertTrue(logged.startsWith("evil\\n{\\\"level\\\""), logged);
        assertTrue(logged.length() <= Untrusted.MAX_CHARS + 1, logged);
        assertTrue(logged.endsWith("…"), logged);
    }
}
