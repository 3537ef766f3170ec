package analytics.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few parts of Markdown the docs checks read: code spans and fenced blocks, paragraphs,
 * "## " sections, table rows, headings and their anchors, links.
 *
 * Pattern: a small reader for exactly the structure we write - not a Markdown parser, and
 *          never a match on the words of the prose.
 * Lesson:  lessons/01-build-and-test.md
 * Not here: what must be true of what it finds (DocsTest).
 * Threads: stateless.
 */
final class Markdown {

    static final Pattern BACKTICKED = Pattern.compile("`([^`\\n]+)`");
    /** A fence's info string is a language and maybe more words: ```bash, ```bash run. */
    private static final Pattern FENCED_BLOCK = Pattern.compile("(?s)```[a-z]*(?:[ \\t]+[a-z]+)*\\n(.*?)```");
    /**
     * A block marked runnable, as scripts/run-doc-blocks.sh finds it: the fence at the start
     * of a line, maybe indented (inside a list item), and its closing fence likewise.
     */
    private static final Pattern RUNNABLE_BLOCK = Pattern.compile(
            "(?ms)^( *)```bash run[ \\t]*\\n(.*?)^ *```[ \\t]*$");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    private Markdown() {
    }

    /** Text outside fenced blocks, where prose and its code spans live. */
    static String prose(String markdown) {
        return FENCED_BLOCK.matcher(markdown).replaceAll("");
    }

    /** A block of commands and the line of the doc its first command is on. */
    record Block(int line, String code) {
    }

    /** The contents of every fenced block, in order. */
    static List<String> blocks(String markdown) {
        return found(FENCED_BLOCK, markdown);
    }

    /**
     * The blocks marked ```bash run, each without the indentation of its fence - the ones
     * scripts/run-doc-blocks.sh runs, in the same order.
     */
    static List<Block> runnableBlocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = RUNNABLE_BLOCK.matcher(markdown);
        while (m.find()) {
            long linesBefore = markdown.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            int fenceLine = (int) linesBefore + 1;
            String indent = "^ {0," + m.group(1).length() + "}";
            List<String> lines = new ArrayList<>();
            for (String line : m.group(2).replaceFirst("\n$", "").split("\n", -1)) {
                lines.add(line.replaceFirst(indent, ""));
            }
            blocks.add(new Block(fenceLine + 1, String.join("\n", lines)));
        }
        return blocks;
    }

    /** Blocks of prose separated by blank lines: a paragraph, or one exercise of a list. */
    static List<String> paragraphs(String markdown) {
        return List.of(prose(markdown).split("\n\\s*\n"));
    }

    /** The contents of every code span of a text, in order. */
    static List<String> spans(String text) {
        return found(BACKTICKED, text);
    }

    /**
     * The text a reader would type: code spans and fenced blocks, without shell comments,
     * so prose such as "make reports the exit status" is not mistaken for a target.
     */
    static String commands(String markdown) {
        StringBuilder code = new StringBuilder();
        Matcher block = FENCED_BLOCK.matcher(markdown);
        while (block.find()) {
            for (String line : block.group(1).split("\n")) {
                code.append(line.replaceFirst("\\s#.*$", "")).append('\n');
            }
        }
        for (String span : spans(prose(markdown))) {
            code.append(span).append('\n');
        }
        return code.toString();
    }

    /** The "## " sections by title, each with its "###" subsections. */
    static Map<String, String> sections(String markdown) {
        Map<String, String> sections = new LinkedHashMap<>();
        String[] parts = markdown.split("(?m)^## ");
        for (int i = 1; i < parts.length; i++) {
            int end = parts[i].indexOf('\n');
            sections.put(parts[i].substring(0, end).strip(), parts[i].substring(end + 1));
        }
        return sections;
    }

    /** The cells of every table row of a text, in order; the separator rows left out. */
    static List<List<String>> tableLines(String text) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("|") && !line.startsWith("|---")) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1).split("(?<!\\\\)\\|")) {
                    cells.add(cell.strip());
                }
                rows.add(cells);
            }
        }
        return rows;
    }

    /** The table rows of a text by their first cell without its backticks; the first row wins. */
    static Map<String, List<String>> tableRows(String text) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        tableLines(text).forEach(cells -> rows.putIfAbsent(cells.get(0).replace("`", ""), cells));
        return rows;
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
    static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    /** The anchors of every heading outside fenced blocks. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        for (String line : prose(markdown).split("\n")) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                anchors.add(anchor(heading.group(1)));
            }
        }
        return anchors;
    }

    /** The targets of the links in the prose: "../docs/CONTRACT.md#settings", "https://...". */
    static List<String> links(String markdown) {
        return found(LINK, prose(markdown));
    }

    /** Group 1 of every match, in order. */
    static List<String> found(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
