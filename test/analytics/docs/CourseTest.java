package analytics.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the course's answers in step with its exercises: every lesson with exercises has an
 * answers file with one "## N." section per numbered exercise and no more; every mutation
 * of a "break it and predict" exercise still applies to the tree and names tests that exist,
 * and its answer says how to run it.
 *
 * Pattern: docs as tested artefacts, as DocsTest; the numbering comes from the Markdown.
 * Lesson:  lessons/01-build-and-test.md
 */
class CourseTest {

    private static final Path ROOT = CodeFacts.ROOT;
    private static final Path ANSWERS = ROOT.resolve("lessons/answers");
    private static final Path MUTATIONS = ANSWERS.resolve("mutations");
    private static final Pattern LESSON = Pattern.compile("^(\\d\\d)-[a-z0-9-]+\\.md$");
    private static final Pattern EXERCISE = Pattern.compile("(?m)^(\\d+)\\. ");
    private static final Pattern ANSWER = Pattern.compile("(?m)^## (\\d+)\\. \\S");
    private static final Pattern MUTATION = Pattern.compile("^(\\d\\d)-(\\d+)\\.patch$");

    /** Lessons by number ("08") to their exercise numbers; a lesson without exercises is left out. */
    private static Map<String, Path> lessonsWithExercises() {
        Map<String, Path> lessons = new LinkedHashMap<>();
        for (Path lesson : CodeFacts.files(ROOT.resolve("lessons"), ".md")) {
            Matcher m = LESSON.matcher(lesson.getFileName().toString());
            if (lesson.getParent().equals(ROOT.resolve("lessons")) && m.matches()
                    && !exercisesOf(CodeFacts.read(lesson)).isEmpty()) {
                lessons.put(m.group(1), lesson);
            }
        }
        return lessons;
    }

    /** The numbers of a lesson's exercises: the list items of its "## Exercises" section. */
    static List<Integer> exercisesOf(String lesson) {
        String section = Markdown.sections(lesson).get("Exercises");
        return section == null ? List.of() : numbers(EXERCISE, Markdown.prose(section));
    }

    /** The numbers of an answers file's "## N. title" sections. */
    static List<Integer> answersOf(String answers) {
        return numbers(ANSWER, Markdown.prose(answers));
    }

    private static List<Integer> numbers(Pattern pattern, String text) {
        return Markdown.found(pattern, text).stream().map(Integer::valueOf).toList();
    }

    private static Path answersFileOf(Path lesson) {
        return ANSWERS.resolve(lesson.getFileName());
    }

    /** The value of one "Name: value" header line of a mutation patch, or "" without one. */
    private static String header(String patch, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ": (.+)$").matcher(patch);
        return m.find() ? m.group(1).strip() : "";
    }

    @Test
    void exercisesAreTheNumberedItemsOfTheExercisesSectionOnly() {
        String lesson = "## Run this\n\n1. not an exercise\n\n"
                + "## Exercises\n\n1. First.\n   **Check:** a.\n"
                + "2. Second:\n\n   ```bash\n3. inside a block\n   ```\n\n10. Tenth.\n\n"
                + "## Further reading\n\n4. not one either\n";
        assertEquals(List.of(1, 2, 10), exercisesOf(lesson));
        assertEquals(List.of(), exercisesOf("## Goal\n\n1. a list\n"));
        assertEquals(List.of(1, 2),
                answersOf("# Answers\n\n## 1. One\n\ntext\n\n## 2. Two\n\n### 3. not a section\n"));
    }

    @Test
    void everyLessonWithExercisesHasAnAnswersFileWithOneSectionPerExercise() {
        Map<String, Path> lessons = lessonsWithExercises();
        assertTrue(lessons.size() > 10,
                "found only " + lessons.keySet() + ": the lesson pattern stopped matching");
        List<String> problems = new ArrayList<>();
        for (Path lesson : lessons.values()) {
            Path answers = answersFileOf(lesson);
            List<Integer> exercises = exercisesOf(CodeFacts.read(lesson));
            if (!Files.exists(answers)) {
                problems.add(ROOT.relativize(lesson) + " has exercises " + exercises + " but no "
                        + ROOT.relativize(answers));
            } else if (!answersOf(CodeFacts.read(answers)).equals(exercises)) {
                problems.add(ROOT.relativize(answers) + " answers " + answersOf(CodeFacts.read(answers))
                        + "; the lesson's exercises are " + exercises);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyAnswersFileBelongsToALessonWithExercises() {
        Set<String> expected = new TreeSet<>();
        lessonsWithExercises().values().forEach(lesson -> expected.add(lesson.getFileName().toString()));
        Set<String> orphans = new TreeSet<>();
        for (Path answers : CodeFacts.files(ANSWERS, ".md")) {
            String name = answers.getFileName().toString();
            boolean answersALesson = name.equals("README.md") || expected.contains(name);
            if (answers.getParent().equals(ANSWERS) && !answersALesson) {
                orphans.add(name);
            }
        }
        assertEquals(Set.of(), orphans, "answers for a lesson that does not exist or has no exercises");
        assertTrue(Files.exists(ANSWERS.resolve("README.md")),
                "lessons/answers/README.md says how to use them");
    }

    /** A mutation is for a real exercise, names tests that exist, and its answer says how to run it. */
    @Test
    void everyMutationNamesAnExerciseAndTestsThatExist() {
        Map<String, Path> lessons = lessonsWithExercises();
        List<Path> patches = CodeFacts.files(MUTATIONS, ".patch");
        assertTrue(patches.size() >= 3, "found only " + patches);
        List<String> problems = new ArrayList<>();
        for (Path patch : patches) {
            String file = patch.getFileName().toString();
            Matcher id = MUTATION.matcher(file);
            Path lesson = id.matches() ? lessons.get(id.group(1)) : null;
            if (lesson == null
                    || !exercisesOf(CodeFacts.read(lesson)).contains(Integer.valueOf(id.group(2)))) {
                problems.add(file + ": not NN-N.patch of a lesson NN with an exercise N");
                continue;
            }
            String text = CodeFacts.read(patch);
            String tests = header(text, "Tests");
            String fails = header(text, "Fails");
            if (header(text, "Mutation").isEmpty() || tests.isEmpty() || fails.isEmpty()) {
                problems.add(file + ": needs the header lines Mutation:, Tests: and Fails:");
                continue;
            }
            StringBuilder testCode = new StringBuilder();
            for (String test : tests.split("\\s+")) {
                Path source = ROOT.resolve("test/" + test.replace('.', '/') + ".java");
                if (Files.exists(source)) {
                    testCode.append(CodeFacts.read(source));
                } else {
                    problems.add(file + ": Tests names " + test + ", which is not a test class");
                }
            }
            for (String method : fails.split("\\s+")) {
                if (!Pattern.compile("\\bvoid " + method + "\\(").matcher(testCode).find()) {
                    problems.add(file + ": Fails names " + method + ", which no class of Tests has");
                }
            }
            String run = "make mutation LESSON=" + id.group(1) + " N=" + id.group(2);
            String answer = Markdown.sections(CodeFacts.read(answersFileOf(lesson))).entrySet().stream()
                    .filter(s -> s.getKey().startsWith(id.group(2) + ". ")).map(Map.Entry::getValue)
                    .findFirst().orElse("");
            if (!answer.contains(run)) {
                problems.add(file + ": answer " + id.group(2) + " of " + answersFileOf(lesson).getFileName()
                        + " does not say `" + run + "`");
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * Every mutation still applies to the tree as it is now (git apply --check reads the
     * files and writes nothing), so `make mutation` breaks what its answer says it breaks.
     */
    @Test
    void everyMutationAppliesCleanlyToTheCurrentTree() throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        for (Path patch : CodeFacts.files(MUTATIONS, ".patch")) {
            Process git = new ProcessBuilder("git", "apply", "--check",
                    patch.toAbsolutePath().toString()).directory(ROOT.toFile()).redirectErrorStream(true).start();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(git.waitFor(30, TimeUnit.SECONDS), "git apply --check did not finish");
            if (git.exitValue() != 0) {
                problems.add(ROOT.relativize(patch) + ": " + output.strip());
            }
        }
        assertEquals(List.of(), problems,
                "a mutation that no longer applies needs a new patch (see its answer)");
    }
}
