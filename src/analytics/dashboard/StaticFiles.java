package analytics.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The files of one directory, looked up by the name a browser asked for. A name is refused
 * before the file system is touched unless it is one plain file name (no slash, no dot in
 * front, no percent sign), so "../build.sh", "%2e%2e/build.sh" and "a%2Fb" never reach it.
 *
 * Pattern: allow-list before lookup, containment check after - two independent walls
 *          against path traversal, so a mistake in one is caught by the other.
 * Lesson:  lessons/15-the-dashboard-page.md   Spec: RFC 3986 §3.3 (path), OWASP "Path Traversal"
 * Not here: sub-directories, ETags, ranges, compression - the page is a few small files.
 * Threads: immutable; files are read on every request, so an edited app.js shows on reload.
 */
final class StaticFiles {

    /** One served file: its bytes and the media type its extension maps to. */
    record File(byte[] bytes, String contentType) {
    }

    /**
     * Letters, digits, '_', '-' and '.', starting with a letter or digit: no separator,
     * no escape to decode, no "." or ".." segment, no hidden file. Percent-decoding is
     * deliberately absent - a name that needs it is not one of ours.
     */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    /**
     * What the page's folder serves, by extension; anything else (README.md, a stray backup)
     * is not served. JavaScript is text/javascript as RFC 9239 says; charset is explicit so
     * the browser never guesses.
     */
    static final Map<String, String> PAGE_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    /**
     * What the results folder serves: the comparison's page, tables and charts. Markdown
     * goes out as text/plain rather than RFC 7763's text/markdown, which some browsers
     * download instead of showing; CSV as text/csv (RFC 4180), which a browser hands to a
     * spreadsheet.
     */
    static final Map<String, String> RESULT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "csv", "text/csv; charset=utf-8",
            "md", "text/plain; charset=utf-8",
            "svg", "image/svg+xml");

    private final Path root;
    private final Map<String, String> types;

    /** @param types the media type of each extension served; every other file is refused */
    StaticFiles(Path root, Map<String, String> types) {
        this.root = root.toAbsolutePath().normalize();
        this.types = Map.copyOf(types);
    }

    /** True when the name could be a file of ours; false means "refuse without looking". */
    static boolean isPlainName(String name) {
        return PLAIN_NAME.matcher(name).matches() && !name.contains("..");
    }

    /** The file called {@code name} in the directory, or empty when there is none to serve. */
    Optional<File> find(String name) throws IOException {
        String type = types.get(extension(name));
        if (!isPlainName(name) || type == null) {
            return Optional.empty();
        }
        Path file = root.resolve(name).normalize();
        // The second wall: whatever the name check missed, never leave the directory, and
        // never follow a symbolic link planted in it.
        if (!file.getParent().equals(root) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(new File(Files.readAllBytes(file), type));
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }
}
