package analytics.log;

/**
 * Text a stranger chose (a path, a header, a serverId, a close reason, a peer's GOAWAY
 * debug data) made fit for a log line: every character that could fool a reader is
 * escaped, and the text is cut to a few dozen characters, so a log line shows what came
 * without carrying it.
 *
 * Pattern: output encoding at the sink - the log is an output like any other, and data
 *          is encoded for where it goes. The JSON line already escapes what JSON must;
 *          this escapes what a person or a terminal reading {@code jq -r} must not
 *          receive raw (a newline that forges a second line, an ANSI escape, a bidi
 *          override that shows a name backwards), and keeps 10 KB of junk from becoming
 *          10 KB of log.
 * Lesson:  lessons/03-validating-untrusted-input.md   Spec: OWASP Logging Cheat Sheet
 *          ("log injection"); Unicode TR 9 (the bidi controls)
 * Not here: deciding what to log; secrets must not reach a log line at all, cut or not.
 * Threads: stateless.
 */
public final class Untrusted {

    /** Enough to recognise a serverId or a path; an attacker's essay stops here. */
    public static final int MAX_CHARS = 64;
    /** For our own messages that quote a stranger's text ("value of x-a contains NUL ..."). */
    public static final int MAX_REASON_CHARS = 200;
    /** Appended when the text was cut. */
    public static final String CUT = "…";

    private Untrusted() {
    }

    /** The text escaped and cut to {@link #MAX_CHARS}; null stays null (the line shows null). */
    public static String text(String text) {
        return text(text, MAX_CHARS);
    }

    /**
     * The text escaped, then cut so the escaped form has at most {@code maxChars}
     * characters (never inside an escape or a surrogate pair), then {@link #CUT} if
     * anything was left out.
     */
    public static String text(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 8);
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            String escaped = escape(codePoint);
            int width = escaped == null ? Character.charCount(codePoint) : escaped.length();
            if (out.length() + width > maxChars) {
                return out.append(CUT).toString();
            }
            if (escaped == null) {
                out.appendCodePoint(codePoint);
            } else {
                out.append(escaped);
            }
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }

    /** The escape for a character a reader must not get raw; null for one that is safe. */
    private static String escape(int c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            default -> isUnsafe(c) ? String.format("\\u%04x", c) : null;
        };
    }

    /**
     * C0 controls and DEL (ANSI escapes start with ESC, 0x1b), C1 controls, the line and
     * paragraph separators, the bidi embeddings, overrides and isolates, and a lone
     * surrogate (codePointAt returns it alone when its pair is missing).
     */
    private static boolean isUnsafe(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
    }
}
