package analytics.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps prose and code from drifting apart: every file, class and make target the docs
 * name must exist, and every class must be named in the lessons' pattern table.
 *
 * Pattern: docs as tested artefacts (Crafting Interpreters fails its build the same way).
 * Lesson:  lessons/01-build-and-test.md
 */
class DocsTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "."));
    private static final Pattern BACKTICKED = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern MAKE_TARGET = Pattern.compile("\\bmake ([a-z][a-z0-9-]*)");
    private static final Pattern PATH = Pattern.compile(
            "^(src|test|scripts|lessons|docs|dashboard|\\.ci)/[A-Za-z0-9_./$-]+$|^[A-Za-z.]+\\.(md|sh|yml)$|^Makefile$");
    private static final Pattern TABLE_CLASS = Pattern.compile("^\\|[^|]*\\|\\s*`([A-Z][A-Za-z0-9]+)`");
    private static final Pattern LESSON_REFERENCE = Pattern.compile("Lesson:\\s+(lessons/[a-z0-9-]+\\.md)");

    private static List<Path> docs() {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("ARCHITECTURE.md")));
        docs.addAll(files(ROOT.resolve("lessons"), ".md"));
        docs.addAll(files(ROOT.resolve("docs"), ".md"));
        return docs;
    }

    private static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> classNames() {
        Set<String> names = new TreeSet<>();
        for (Path file : concat(files(ROOT.resolve("src"), ".java"), files(ROOT.resolve("test"), ".java"))) {
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
            Matcher m = BACKTICKED.matcher(read(doc));
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
        Matcher rule = Pattern.compile("(?m)^([a-z][a-z0-9-]*):").matcher(read(ROOT.resolve("Makefile")));
        while (rule.find()) {
            targets.add(rule.group(1));
        }
        List<String> missing = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher m = MAKE_TARGET.matcher(commands(read(doc)));
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
        for (String line : read(ROOT.resolve("lessons/README.md")).split("\n")) {
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
        for (Path file : concat(files(ROOT.resolve("src"), ".java"), files(ROOT.resolve("test"), ".java"))) {
            Matcher m = LESSON_REFERENCE.matcher(read(file));
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
            } else if (!isTest && !read(lesson).contains(className)) {
                problems.add(m.group(1) + " does not name " + className);
            }
        }
        assertEquals(List.of(), problems);
    }
}
