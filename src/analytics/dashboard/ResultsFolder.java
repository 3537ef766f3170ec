package analytics.dashboard;

import analytics.loadtest.report.Comparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The load test results as the dashboard shows them at /results/: an index of the
 * comparison pages, newest first, and the files beside them. A folder that does not exist
 * yet is an empty one - the index then says how to make a first run.
 *
 * Pattern: a generated index over a static folder; the same two walls as the page's files
 *          (StaticFiles), not a second copy of them.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Not here: writing the results (analytics.loadtest.report); routing (DashboardHandler).
 * Threads: immutable; the folder is listed afresh on every request, so a new run shows on reload.
 */
final class ResultsFolder {

    private final Path folder;
    private final StaticFiles files;

    ResultsFolder(Path folder) {
        this.folder = folder;
        this.files = new StaticFiles(folder, StaticFiles.RESULT_TYPES);
    }

    /** A file of the folder by its plain name, or empty when there is none to serve. */
    Optional<StaticFiles.File> find(String name) throws IOException {
        return files.find(name);
    }

    /**
     * The comparison pages, newest first. The run's start time is in its name
     * (loadtest-20261130-180000), so name order is run order; a file's modification time
     * would move an old run to the top when someone compares it again.
     */
    List<String> comparePages() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(Comparison.PAGE_SUFFIX) && StaticFiles.isPlainName(name))
                    .sorted(Comparator.reverseOrder())
                    .toList();
        }
    }

    /**
     * The index page. Every name in it passed isPlainName (letters, digits, "_.-"), so none
     * needs HTML escaping; links are relative, so they resolve under /results/.
     */
    String indexHtml() throws IOException {
        List<String> pages = comparePages();
        StringBuilder html = new StringBuilder("""
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>Load test results</title>
                  <link rel="icon" href="data:,">
                  <link rel="stylesheet" href="/style.css">
                </head>
                <body>
                  <header><h1>Load test results</h1><small><a href="/">dashboard</a></small></header>
                """);
        if (pages.isEmpty()) {
            html.append("""
                      <p id="no-results">No comparison yet. Run <code>make loadtest</code>: it measures
                        HTTP/1.1, HTTP/2 and WebSocket at rising rates and writes its comparison into
                        results/, where this page lists it.</p>
                    """);
        } else {
            html.append("  <ul class=\"runs\">\n");
            for (String page : pages) {
                String run = page.substring(0, page.length() - Comparison.PAGE_SUFFIX.length());
                html.append("    <li><a href=\"").append(page).append("\">").append(run).append("</a>");
                html.append(siblingLink(run + "-compare.md", "Markdown"));
                html.append(siblingLink(run + ".csv", "run CSV"));
                html.append("</li>\n");
            }
            html.append("  </ul>\n");
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private String siblingLink(String name, String text) {
        return Files.isRegularFile(folder.resolve(name))
                ? " <small>· <a href=\"" + name + "\">" + text + "</a></small>"
                : "";
    }
}
