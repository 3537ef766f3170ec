package analytics.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps prose and code from drifting apart: every file, class and make target the docs
 * name must exist, and every class must be named in the lessons' pattern table; and
 * docs/CONTRACT.md must name every setting, route, message type, status and close code,
 * Redis key and connection the code has (CodeFacts reads them from the code).
 *
 * Pattern: docs as tested artefacts (Crafting Interpreters fails its build the same way).
 * Lesson:  lessons/01-build-and-test.md
 */
class DocsTest {

    private static final Path ROOT = CodeFacts.ROOT;
    private static final Pattern BACKTICKED = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern MAKE_TARGET = Pattern.compile("\\bmake ([a-z][a-z0-9-]*)");
    private static final Pattern PATH = Pattern.compile(
            "^(src|test|scripts|lessons|docs|dashboard|\\.ci)/[A-Za-z0-9_./$-]+$|^[A-Za-z.]+\\.(md|sh|yml)$|^Makefile$");
    private static final Pattern TABLE_CLASS = Pattern.compile("^\\|[^|]*\\|\\s*`([A-Z][A-Za-z0-9]+)`");
    private static final Pattern LESSON_REFERENCE = Pattern.compile("Lesson:\\s+(lessons/[a-z0-9-]+\\.md)");

    private static List<Path> docs() {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("ARCHITECTURE.md")));
        docs.addAll(CodeFacts.files(ROOT.resolve("lessons"), ".md"));
        docs.addAll(CodeFacts.files(ROOT.resolve("docs"), ".md"));
        return docs;
    }

    private static Set<String> classNames() {
        Set<String> names = new TreeSet<>();
        for (Path file : concat(CodeFacts.files(ROOT.resolve("src"), ".java"), CodeFacts.files(ROOT.resolve("test"), ".java"))) {
            names.add(file.getFileName().toString().replace(".java", ""));
        }
        return names;
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void everyPathTheDocsNameExists() {
        List<String> missing = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher m = BACKTICKED.matcher(CodeFacts.read(doc));
            while (m.find()) {
                String path = m.group(1).replaceAll("[.,:;)]+$", "");
                if (PATH.matcher(path).matches() && !path.contains("*") && !Files.exists(ROOT.resolve(path))) {
                    missing.add(ROOT.relativize(doc) + " names " + path);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    private static final Pattern FENCED_BLOCK = Pattern.compile("(?s)```[a-z]*\\n(.*?)```");

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
        Matcher span = BACKTICKED.matcher(FENCED_BLOCK.matcher(markdown).replaceAll(""));
        while (span.find()) {
            code.append(span.group(1)).append('\n');
        }
        return code.toString();
    }

    @Test
    void proseIsNotReadAsACommand() {
        String markdown = "Run `make test`; make sure it passes.\n```bash\nmake build   # make reports errors\n```\n";
        Matcher m = MAKE_TARGET.matcher(commands(markdown));
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertEquals(List.of("build", "test"), found);
    }

    @Test
    void everyMakeTargetTheDocsNameExists() {
        Set<String> targets = new TreeSet<>();
        Matcher rule = Pattern.compile("(?m)^([a-z][a-z0-9-]*):").matcher(CodeFacts.read(ROOT.resolve("Makefile")));
        while (rule.find()) {
            targets.add(rule.group(1));
        }
        List<String> missing = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher m = MAKE_TARGET.matcher(commands(CodeFacts.read(doc)));
            while (m.find()) {
                if (!targets.contains(m.group(1))) {
                    missing.add(ROOT.relativize(doc) + " names make " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    /** The table in lessons/README.md is the map from pattern to class: no dead rows, no gaps. */
    @Test
    void thePatternTableNamesEveryClassAndOnlyRealOnes() {
        Set<String> inTable = new TreeSet<>();
        for (String line : CodeFacts.read(ROOT.resolve("lessons/README.md")).split("\n")) {
            Matcher m = TABLE_CLASS.matcher(line);
            if (m.find()) {
                inTable.add(m.group(1));
            }
        }
        Set<String> teachable = new TreeSet<>(classNames());
        teachable.removeIf(name -> name.endsWith("Test")); // tests are named beside their class
        Set<String> notInTable = new TreeSet<>(teachable);
        notInTable.removeAll(inTable);
        Set<String> notInCode = new TreeSet<>(inTable);
        notInCode.removeAll(classNames());
        assertEquals(Set.of(), notInTable, "classes missing from lessons/README.md");
        assertEquals(Set.of(), notInCode, "lessons/README.md names classes that do not exist");
    }

    @Test
    void everyLessonAClassPointsToExistsAndNamesTheClass() {
        List<String> problems = new ArrayList<>();
        for (Path file : concat(CodeFacts.files(ROOT.resolve("src"), ".java"), CodeFacts.files(ROOT.resolve("test"), ".java"))) {
            Matcher m = LESSON_REFERENCE.matcher(CodeFacts.read(file));
            String className = file.getFileName().toString().replace(".java", "");
            boolean isTest = className.endsWith("Test");
            if (!m.find()) {
                if (!isTest) {
                    problems.add(className + " has no 'Lesson:' line in its header");
                }
                continue;
            }
            Path lesson = ROOT.resolve(m.group(1));
            if (!Files.exists(lesson)) {
                problems.add(className + " points to missing " + m.group(1));
            } else if (!isTest && !CodeFacts.read(lesson).contains(className)) {
                problems.add(m.group(1) + " does not name " + className);
            }
        }
        assertEquals(List.of(), problems);
    }
    // --- docs/CONTRACT.md against the code ------------------------------------------------

    private static final Path CONTRACT = ROOT.resolve("docs/CONTRACT.md");

    /** Which section of the contract documents the routes and messages of a package. */
    private static final Map<String, String> SECTION_OF_PACKAGE = Map.of(
            "system1.ingest", "System 1 HTTP ingest",
            "system1.worker", "System 1 WebSocket broadcaster",
            "system1.broadcast", "System 1 WebSocket broadcaster",
            "system2", "System 2 WebSocket server",
            "sender", "System 2 WebSocket server",
            "websocket", "The WebSocket protocol",
            "dashboard", "The dashboard server");

    /** The "## " sections of a Markdown file by title, each with its "###" subsections. */
    static Map<String, String> sections(String markdown) {
        Map<String, String> sections = new LinkedHashMap<>();
        String[] parts = markdown.split("(?m)^## ");
        for (int i = 1; i < parts.length; i++) {
            int end = parts[i].indexOf('\n');
            sections.put(parts[i].substring(0, end).strip(), parts[i].substring(end + 1));
        }
        return sections;
    }

    /** The section a package's facts belong in; the whole contract for one not mapped. */
    private static String sectionFor(Path file, Map<String, String> sections, String whole) {
        String section = SECTION_OF_PACKAGE.get(CodeFacts.packageOf(file));
        if (section == null) {
            return whole;
        }
        String text = sections.get(section);
        assertTrue(text != null, "docs/CONTRACT.md has no section '## " + section + "'");
        return text;
    }

    private static String where(CodeFacts.Fact fact) {
        return fact.value() + " (" + ROOT.relativize(fact.file()) + ")";
    }

    /** The cells of the table rows of a text, by the first cell without its backticks. */
    static Map<String, List<String>> tableRows(String text) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("|") && !line.startsWith("|---")) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1).split("(?<!\\\\)\\|")) {
                    cells.add(cell.strip());
                }
                rows.putIfAbsent(cells.get(0).replace("`", ""), cells);
            }
        }
        return rows;
    }

    /** "(empty)" and "" are the same default; numbers compare by value (2 = 2.0). */
    static boolean sameDefault(String documented, String actual) {
        String shown = documented.replace("`", "").strip();
        if (actual == null) {
            return shown.equals("(unset)");
        }
        if (actual.isEmpty()) {
            return shown.equals("(empty)");
        }
        try {
            return new BigDecimal(shown).compareTo(new BigDecimal(actual)) == 0;
        } catch (NumberFormatException notNumbers) {
            return shown.equals(actual);
        }
    }

    @Test
    void theContractDocumentsEverySettingWithTheCodesDefault() {
        Map<String, List<String>> rows = tableRows(sections(CodeFacts.read(CONTRACT)).getOrDefault("Settings", ""));
        List<String> problems = new ArrayList<>();
        CodeFacts.settings().forEach((name, actual) -> {
            List<String> row = rows.get(name);
            if (row == null) {
                problems.add(name + " is read by the code but has no row in the Settings table");
            } else if (row.size() < 2 || !sameDefault(row.get(1), actual)) {
                problems.add(name + ": the contract says default '" + (row.size() < 2 ? "" : row.get(1))
                        + "', the code says '" + actual + "'");
            }
        });
        assertEquals(List.of(), problems, "docs/CONTRACT.md, ## Settings");
    }

    @Test
    void theContractDocumentsEveryRouteInItsSection() {
        String whole = CodeFacts.read(CONTRACT);
        Map<String, String> sections = sections(whole);
        Set<String> missing = new TreeSet<>();
        for (CodeFacts.Fact route : CodeFacts.routes()) {
            String section = sectionFor(route.file(), sections, whole);
            // `/healthz`, `GET /healthz`, `POST /metrics`: the path alone or after a method
            Pattern named = Pattern.compile("`(?:[A-Z]+ )?" + Pattern.quote(route.value()) + "`");
            if (!named.matcher(section).find()) {
                missing.add("route " + where(route));
            }
        }
        assertEquals(Set.of(), missing, "docs/CONTRACT.md does not document these routes in their section");
    }

    @Test
    void theContractDocumentsEveryMessageTypeInItsSection() {
        String whole = CodeFacts.read(CONTRACT);
        Map<String, String> sections = sections(whole);
        Set<String> missing = new TreeSet<>();
        for (CodeFacts.Fact type : CodeFacts.messageTypes()) {
            String section = sectionFor(type.file(), sections, whole);
            if (!section.contains("\"type\":\"" + type.value() + "\"")) {
                missing.add("type " + where(type));
            }
        }
        assertEquals(Set.of(), missing, "docs/CONTRACT.md does not show these message types in their section");
    }

    @Test
    void theContractListsEveryStatusAndCloseCode() {
        Map<String, String> sections = sections(CodeFacts.read(CONTRACT));
        Map<String, List<String>> statusRows = tableRows(sections.getOrDefault("Status codes and close codes", ""));
        Set<String> missing = new TreeSet<>();
        for (CodeFacts.Fact status : CodeFacts.statuses()) {
            if (!statusRows.containsKey(status.value())) {
                missing.add("status " + where(status));
            }
        }
        Set<String> closeRows = new TreeSet<>();
        tableRows(sections.getOrDefault("The WebSocket protocol", "")).keySet()
                .forEach(first -> closeRows.addAll(List.of(first.split("\\s*,\\s*"))));
        CodeFacts.closeCodes().forEach((code, name) -> {
            if (!closeRows.contains(Integer.toString(code))) {
                missing.add("close code " + code + " (" + name + ")");
            }
        });
        assertEquals(Set.of(), missing, "docs/CONTRACT.md has no table row for these codes");
    }

    @Test
    void theContractNamesEveryRedisKeyAndConnection() {
        String redis = sections(CodeFacts.read(CONTRACT)).getOrDefault("System 1 in Redis", "");
        List<String> spans = new ArrayList<>();
        Matcher m = BACKTICKED.matcher(redis);
        while (m.find()) {
            spans.add(m.group(1));
        }
        Set<String> missing = new TreeSet<>();
        List<CodeFacts.Fact> names = new ArrayList<>(CodeFacts.redisKeys());
        names.addAll(CodeFacts.redisConnectionNames());
        for (CodeFacts.Fact name : names) {
            if (spans.stream().noneMatch(span -> span.contains(name.value()))) {
                missing.add(where(name));
            }
        }
        assertEquals(Set.of(), missing, "docs/CONTRACT.md, ## System 1 in Redis, names none of these in a code span");
    }
}
