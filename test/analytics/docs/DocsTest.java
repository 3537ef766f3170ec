package analytics.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps prose and code from drifting apart. The docs: every file, class, make target,
 * command, link, member and message they name exists, and they quote no test counts. The
 * lessons' pattern table names every class. docs/CONTRACT.md names every setting (with the
 * code's default), route, message type, status and close code, Redis key and connection
 * the code has.
 *
 * Pattern: docs as tested artefacts (Crafting Interpreters fails its build the same way);
 *          the facts come from the code (CodeFacts), the structure from the Markdown.
 * Lesson:  lessons/01-build-and-test.md
 */
class DocsTest {

    private static final Path ROOT = CodeFacts.ROOT;
    private static final Pattern MAKE_TARGET = Pattern.compile("\\bmake ([a-z][a-z0-9-]*)");
    private static final Pattern PATH = Pattern.compile("^(src|test|scripts|lessons|docs|dashboard|\\.ci)/"
            + "[A-Za-z0-9_./$-]+$|^[A-Za-z.]+\\.(md|sh|yml)$|^Makefile$");
    private static final Pattern TABLE_CLASS = Pattern.compile("^\\|[^|]*\\|\\s*`([A-Z][A-Za-z0-9]+)`");

    /**
     * A log of experiments names code that was tried and then removed, on purpose; the
     * checks that quoted code still exists skip it.
     */
    private static final Set<String> HISTORICAL = Set.of("docs/performance-results.md");

    private static List<Path> docs() {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"),
                ROOT.resolve("ARCHITECTURE.md")));
        docs.addAll(CodeFacts.files(ROOT.resolve("lessons"), ".md"));
        docs.addAll(CodeFacts.files(ROOT.resolve("docs"), ".md"));
        docs.add(ROOT.resolve("dashboard/README.md"));
        return docs;
    }

    private static List<Path> currentDocs() {
        return docs().stream().filter(doc -> !HISTORICAL.contains(name(doc))).toList();
    }

    private static String name(Path file) {
        return ROOT.relativize(file).toString();
    }

    /** Every Java file's text, and the page's scripts: where a quoted name must occur. */
    private static String allCode() {
        StringBuilder code = new StringBuilder();
        for (Path file : CodeFacts.javaFiles()) {
            code.append(CodeFacts.read(file)).append('\n');
        }
        for (Path script : CodeFacts.files(ROOT.resolve("dashboard"), ".js")) {
            code.append(CodeFacts.read(script)).append('\n');
        }
        return code.toString();
    }

    // --- files, targets, commands, links ----------------------------------------------------

    @Test
    void everyPathTheDocsNameExists() {
        List<String> missing = new ArrayList<>();
        for (Path doc : docs()) {
            for (String span : Markdown.spans(CodeFacts.read(doc))) {
                String path = span.replaceAll("[.,:;)]+$", "");
                boolean named = PATH.matcher(path).matches() && !path.contains("*");
                if (named && !Files.exists(ROOT.resolve(path))) {
                    missing.add(name(doc) + " names " + path);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void proseIsNotReadAsACommand() {
        String markdown = "Run `make test`; make sure it passes.\n"
                + "```bash\nmake build   # make reports errors\n```\n";
        assertEquals(List.of("build", "test"), Markdown.found(MAKE_TARGET, Markdown.commands(markdown)));
    }

    @Test
    void everyMakeTargetTheDocsNameExists() {
        Set<String> targets = new TreeSet<>(Markdown.found(Pattern.compile("(?m)^([a-z][a-z0-9-]*):"),
                CodeFacts.read(ROOT.resolve("Makefile"))));
        List<String> missing = new ArrayList<>();
        for (Path doc : docs()) {
            for (String target : Markdown.found(MAKE_TARGET, Markdown.commands(CodeFacts.read(doc)))) {
                if (!targets.contains(target)) {
                    missing.add(name(doc) + " names make " + target);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    /**
     * What a reader runs names real things: test classes, packages and methods, and main
     * classes that have a main method.
     */
    @Test
    void everyClassACommandRunsExists() {
        Set<String> missing = new TreeSet<>();
        for (Path doc : docs()) {
            String commands = Markdown.commands(CodeFacts.read(doc));
            for (String run : Markdown.found(Pattern.compile("--select-class\\s+([\\w.]+)"), commands)) {
                if (!Files.exists(ROOT.resolve("test/" + run.replace('.', '/') + ".java"))) {
                    missing.add(name(doc) + ": test class " + run);
                }
            }
            for (String run : Markdown.found(Pattern.compile("--select-package\\s+([\\w.]+)"), commands)) {
                if (!Files.isDirectory(ROOT.resolve("test/" + run.replace('.', '/')))) {
                    missing.add(name(doc) + ": test package " + run);
                }
            }
            Matcher method = Pattern.compile("--select-method\\s+'?([\\w.]+)#(\\w+)").matcher(commands);
            while (method.find()) {
                Path test = ROOT.resolve("test/" + method.group(1).replace('.', '/') + ".java");
                if (!Files.exists(test) || !CodeFacts.mentions(test, method.group(2))) {
                    missing.add(name(doc) + ": test method " + method.group(1) + "#" + method.group(2));
                }
            }
            for (String run : Markdown.found(Pattern.compile("build\\.sh run\\s+([\\w.]+)"), commands)) {
                Path main = ROOT.resolve("src/" + run.replace('.', '/') + ".java");
                if (!Files.exists(main)) {
                    missing.add(name(doc) + ": main class " + run);
                } else if (!hasMain(main)) {
                    missing.add(name(doc) + ": main class " + run + " has no main method");
                }
            }
        }
        Set<String> classes = CodeFacts.classFiles().keySet();
        for (List<String> cells : Markdown.tableLines(CodeFacts.read(ROOT.resolve("lessons/README.md")))) {
            for (String span : cells.size() > 3 ? Markdown.spans(cells.get(3)) : List.<String>of()) {
                if (span.matches("[A-Z]\\w*") && !classes.contains(span)) {
                    missing.add("lessons/README.md: test " + span);
                }
            }
        }
        assertEquals(Set.of(), missing, "the docs run classes that do not exist");
    }

    @Test
    void anchorsAreTheOnesGitHubMakes() {
        assertEquals("system-1-http2-ingest", Markdown.anchor("System 1 HTTP/2 ingest"));
        assertEquals("01--build-and-test", Markdown.anchor("01 — Build and test"));
    }

    /** Every relative link goes to a file that exists, and to a heading it has. */
    @Test
    void everyLinkBetweenTheDocsResolves() {
        List<String> broken = new ArrayList<>();
        for (Path doc : docs()) {
            for (String target : Markdown.links(CodeFacts.read(doc))) {
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
                if (!Files.exists(file)) {
                    broken.add(name(doc) + ": " + target);
                } else if (hash >= 0 && file.toString().endsWith(".md")
                        && !Markdown.anchors(CodeFacts.read(file)).contains(target.substring(hash + 1))) {
                    broken.add(name(doc) + ": " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken, "links that lead nowhere");
    }

    /** The README's list of third-party code names every file the lock pins, by coordinate. */
    @Test
    void theReadmeNamesEveryPinnedDependency() {
        String readme = CodeFacts.read(ROOT.resolve("README.md"));
        List<String> missing = new ArrayList<>();
        for (String line : CodeFacts.read(ROOT.resolve("scripts/dependencies.lock")).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] coordinate = line.strip().split("\\s+")[0].split(":");
            String pinned = coordinate[0].equals("npm") ? coordinate[1] : coordinate[0] + ":" + coordinate[1];
            if (!readme.contains("`" + pinned + "`")) {
                missing.add(pinned);
            }
        }
        assertEquals(List.of(), missing, "scripts/dependencies.lock pins these; README.md names none");
    }

    /** "325 passed" is true the day it is written and false after the next test: write N. */
    @Test
    void theDocsQuoteNoTestCounts() {
        Pattern count = Pattern.compile(
                "\\b\\d[\\d,]*\\s+(?:tests? )?passed\\b|\\b\\d[\\d,]*\\s+tests successful");
        List<String> found = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher m = count.matcher(CodeFacts.read(doc));
            while (m.find()) {
                found.add(name(doc) + ": " + m.group());
            }
        }
        assertEquals(List.of(), found, "a test count goes stale with the next test; write N");
    }

    // --- classes, members, calls and messages the docs quote ------------------------------

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
        Set<String> classNames = CodeFacts.classFiles().keySet();
        Set<String> notInTable = new TreeSet<>(classNames);
        notInTable.removeIf(name -> name.endsWith("Test")); // tests are named beside their class
        notInTable.removeAll(inTable);
        Set<String> notInCode = new TreeSet<>(inTable);
        notInCode.removeAll(classNames);
        assertEquals(Set.of(), notInTable, "classes missing from lessons/README.md");
        assertEquals(Set.of(), notInCode, "lessons/README.md names classes that do not exist");
    }

    @Test
    void everyLessonAClassPointsToExistsAndNamesTheClass() {
        List<String> problems = new ArrayList<>();
        CodeFacts.classFiles().forEach((className, files) -> files.forEach(file -> {
            String lessonName = CodeFacts.lessonOf(file);
            boolean isTest = className.endsWith("Test");
            if (lessonName == null) {
                if (!isTest) {
                    problems.add(name(file) + " has no 'Lesson:' line in its header");
                }
                return;
            }
            Path lesson = ROOT.resolve(lessonName);
            if (!Files.exists(lesson)) {
                problems.add(name(file) + " points to missing " + lessonName);
            } else if (!isTest && !CodeFacts.read(lesson).contains(className)) {
                problems.add(lessonName + " does not name " + className + " (" + name(file) + ")");
            }
        }));
        assertEquals(List.of(), problems);
    }

    private static final Pattern IDENTIFIER_PATH = Pattern.compile("[A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*)*");
    private static final Set<String> ENUM_MEMBERS = Set.of("values", "valueOf", "name", "ordinal");
    private static final Set<String> FILE_SUFFIXES = Set.of("java", "md", "lua", "js", "html", "css", "json",
            "class", "sh", "yml", "jar");

    /**
     * "Class.member" when the member (of the class, or of "Other" in "Other.member") is not
     * in the class the doc means (CodeFacts.classFilesFor: a lesson means the class whose
     * header names it); null when it is, or when the name is not ours to check.
     */
    private static String missingMember(Map<String, List<Path>> classes, String className, String member,
                                        Path doc) {
        String[] parts = member.split("\\.");
        if (parts.length > 1 && classes.containsKey(parts[0])) {
            className = parts[0];
        }
        List<Path> files = CodeFacts.classFilesFor(classes, className, name(doc));
        String last = parts[parts.length - 1];
        if (files.isEmpty() || FILE_SUFFIXES.contains(last)) {
            return null;
        }
        for (Path file : files) {
            if (CodeFacts.mentions(file, last) || ENUM_MEMBERS.contains(last)
                    && CodeFacts.typeDeclaration(file, className).endsWith("enum")) {
                return null;
            }
        }
        return className + "." + last + " (" + String.join(", ", files.stream().map(DocsTest::name).toList())
                + ")";
    }

    /**
     * Two classes share a name (FrameEncoder: WebSocket's and HTTP/2's): a lesson means the
     * one whose header names it, and is held to that one's members; a doc about neither may
     * mean either.
     */
    @Test
    void aLessonMeansTheClassItIsAboutWhenTwoShareAName() {
        Map<String, List<Path>> classes = CodeFacts.classFiles();
        Path http2 = ROOT.resolve("src/analytics/http2/frame/FrameEncoder.java");
        Path websocket = ROOT.resolve("src/analytics/websocket/FrameEncoder.java");
        Path lesson05 = ROOT.resolve("lessons/05-websocket-frames.md");
        Path lesson17 = ROOT.resolve("lessons/17-http2-on-the-wire.md");
        assertEquals(List.of(http2), CodeFacts.classFilesFor(classes, "FrameEncoder", name(lesson17)));
        assertEquals(List.of(websocket), CodeFacts.classFilesFor(classes, "FrameEncoder", name(lesson05)));
        assertEquals(Set.of(http2, websocket), Set.copyOf(CodeFacts.classFilesFor(classes, "FrameEncoder",
                "README.md")));
        assertEquals(null, missingMember(classes, "FrameEncoder", "writeHeader", lesson17));
        assertEquals("FrameEncoder.writeHeader (" + name(websocket) + ")",
                missingMember(classes, "FrameEncoder", "writeHeader", lesson05),
                "lesson 05 cannot borrow a member of HTTP/2's FrameEncoder");
    }

    /** A walk-through row (`Class` | `method`, `other` | why) names members the class has. */
    @Test
    void everyMethodAWalkThroughNamesExists() {
        Map<String, List<Path>> classes = CodeFacts.classFiles();
        List<String> missing = new ArrayList<>();
        for (Path doc : currentDocs()) {
            for (List<String> cells : Markdown.tableLines(CodeFacts.read(doc))) {
                String className = cells.get(0).replace("`", "");
                if (!classes.containsKey(className) || cells.size() < 3) {
                    continue;
                }
                for (String span : Markdown.spans(cells.get(1))) {
                    String bare = span.replaceFirst("\\(.*\\)$", "").strip(); // append(m) -> append
                    String gone = IDENTIFIER_PATH.matcher(bare).matches()
                            ? missingMember(classes, className, bare, doc) : null;
                    if (gone != null) {
                        missing.add(name(doc) + ": " + gone);
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "walk-through rows name members their class does not have");
    }

    /** `Class.member` and `Class#member` anywhere in prose: the member exists. */
    @Test
    void everyClassMemberTheDocsQuoteExists() {
        Map<String, List<Path>> classes = CodeFacts.classFiles();
        Pattern member = Pattern.compile("([A-Z]\\w*)[.#]([A-Za-z_]\\w*)(?:\\(.*\\))?");
        Set<String> missing = new TreeSet<>();
        for (Path doc : currentDocs()) {
            for (String span : Markdown.spans(Markdown.prose(CodeFacts.read(doc)))) {
                Matcher m = member.matcher(span);
                String gone = m.matches() ? missingMember(classes, m.group(1), m.group(2), doc) : null;
                if (gone != null) {
                    missing.add(name(doc) + ": " + gone);
                }
            }
        }
        assertEquals(Set.of(), missing, "the docs quote members that do not exist");
    }

    /**
     * Code a lesson tells a reader to write must compile where it says: a constructor or
     * method that is not public can be called only from its own package, so the paragraph
     * must name that package.
     */
    @Test
    void everyCallALessonQuotesCompilesWhereItSays() {
        Map<String, List<Path>> classes = CodeFacts.classFiles();
        Pattern construct = Pattern.compile("\\bnew ([A-Z]\\w*)\\(");
        Pattern call = Pattern.compile("\\b([A-Z]\\w*)\\.([a-z]\\w*)\\(");
        Set<String> problems = new TreeSet<>();
        for (Path doc : currentDocs()) {
            for (String paragraph : Markdown.paragraphs(CodeFacts.read(doc))) {
                for (String span : Markdown.spans(paragraph)) {
                    Matcher m = construct.matcher(span);
                    while (m.find()) {
                        String type = m.group(1);
                        requireCompiles(problems, doc, paragraph,
                                CodeFacts.classFilesFor(classes, type, name(doc)),
                                file -> CodeFacts.constructorIsPublic(file, type), "new " + type + "(...)");
                    }
                    m = call.matcher(span);
                    while (m.find()) {
                        String type = m.group(1);
                        String method = m.group(2);
                        requireCompiles(problems, doc, paragraph,
                                CodeFacts.classFilesFor(classes, type, name(doc)),
                                file -> CodeFacts.methodIsPublic(file, type, method),
                                type + "." + method + "(...)");
                    }
                }
            }
        }
        assertEquals(Set.of(), problems);
    }

    /**
     * The call compiles in some class the doc may mean: it is public there, or the paragraph
     * names that class's package. Nothing to check for a class that is not ours.
     */
    private static void requireCompiles(Set<String> problems, Path doc, String paragraph, List<Path> files,
                                        Predicate<Path> isPublic, String call) {
        if (files.isEmpty() || files.stream().anyMatch(isPublic)) {
            return;
        }
        List<String> packages = files.stream().map(CodeFacts::declaredPackage).toList();
        if (packages.stream().noneMatch(pkg -> paragraph.contains("`" + pkg + "`"))) {
            problems.add(name(doc) + ": " + call + " is not public; the paragraph must say the code goes"
                    + " in package `" + String.join("` or `", packages) + "`");
        }
    }

    /** A long camelCase name in backticks is a method or test of the code, not a memory of one. */
    @Test
    void everyLongMethodNameTheDocsQuoteExists() {
        String allCode = allCode();
        Pattern longName = Pattern.compile("([a-z][a-z0-9]*(?:[A-Z][a-z0-9]*){3,})(?:\\(\\))?");
        Set<String> missing = new TreeSet<>();
        for (Path doc : currentDocs()) {
            for (String span : Markdown.spans(Markdown.prose(CodeFacts.read(doc)))) {
                Matcher m = longName.matcher(span);
                if (m.matches() && !Pattern.compile("\\b" + m.group(1) + "\\b").matcher(allCode).find()) {
                    missing.add(name(doc) + ": " + m.group(1));
                }
            }
        }
        assertEquals(Set.of(), missing, "the docs quote methods or tests the code does not have");
    }

    /**
     * A "message" quoted in the docs - a log line's, or an error's on the wire - is one the
     * code writes (or, for a library's words, one a test pins): renaming it shows here.
     */
    @Test
    void everyMessageTheDocsQuoteIsOneTheCodeWrites() {
        String allCode = allCode();
        Pattern message = Pattern.compile("\"message\":\"((?:[^\"\\\\]|\\\\.)*)\"");
        Set<String> missing = new TreeSet<>();
        for (Path doc : currentDocs()) {
            for (String text : Markdown.found(message, CodeFacts.read(doc))) { // JSON-escaped, as in Java
                boolean placeholder = text.contains("<") || text.contains("…") || text.contains("...");
                if (!placeholder && !allCode.contains("\"" + text + "\"")) {
                    missing.add(name(doc) + ": \"" + text + "\"");
                }
            }
        }
        assertEquals(Set.of(), missing, "the docs quote messages no code writes");
    }

    // --- docs/CONTRACT.md against the code -----------------------------------------------------

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

    /** A pattern that stopped matching the code would make the check pass without checking. */
    private static List<CodeFacts.Fact> found(List<CodeFacts.Fact> facts, String what) {
        assertTrue(!facts.isEmpty(), "CodeFacts found no " + what + ": its patterns no longer fit the code");
        return facts;
    }

    private static String where(CodeFacts.Fact fact) {
        return fact.value() + " (" + name(fact.file()) + ")";
    }

    /** "(empty)" and "" are the same default, "(unset)" stands for none; numbers by value. */
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
        Map<String, List<String>> rows = Markdown.tableRows(
                Markdown.sections(CodeFacts.read(CONTRACT)).getOrDefault("Settings", ""));
        List<String> problems = new ArrayList<>();
        CodeFacts.settings().forEach((setting, actual) -> {
            List<String> row = rows.get(setting);
            if (row == null) {
                problems.add(setting + " is read by the code but has no row in the Settings table");
            } else if (row.size() < 2 || !sameDefault(row.get(1), actual)) {
                problems.add(setting + ": the contract says default '" + (row.size() < 2 ? "" : row.get(1))
                        + "', the code says '" + actual + "'");
            }
        });
        assertEquals(List.of(), problems, "docs/CONTRACT.md, ## Settings");
    }

    @Test
    void theContractDocumentsEveryRouteInItsSection() {
        String whole = CodeFacts.read(CONTRACT);
        Map<String, String> sections = Markdown.sections(whole);
        List<CodeFacts.Fact> routes = found(CodeFacts.routes(), "routes");
        Set<String> missing = new TreeSet<>();
        for (CodeFacts.Fact route : routes) {
            // `/healthz`, `GET /healthz`, `POST /metrics`: the path alone or after a method
            Pattern named = Pattern.compile("`(?:[A-Z]+ )?" + Pattern.quote(route.value()) + "`");
            if (!named.matcher(sectionFor(route.file(), sections, whole)).find()) {
                missing.add("route " + where(route));
            }
        }
        assertEquals(Set.of(), missing, "docs/CONTRACT.md does not document these routes in their section");
    }

    @Test
    void theContractDocumentsEveryMessageTypeInItsSection() {
        String whole = CodeFacts.read(CONTRACT);
        Map<String, String> sections = Markdown.sections(whole);
        List<CodeFacts.Fact> types = found(CodeFacts.messageTypes(), "message types");
        Set<String> missing = new TreeSet<>();
        for (CodeFacts.Fact type : types) {
            if (!sectionFor(type.file(), sections, whole).contains("\"type\":\"" + type.value() + "\"")) {
                missing.add("type " + where(type));
            }
        }
        assertEquals(Set.of(), missing, "docs/CONTRACT.md lacks these message types in their section");
    }

    @Test
    void theContractListsEveryStatusAndCloseCode() {
        Map<String, String> sections = Markdown.sections(CodeFacts.read(CONTRACT));
        Map<String, List<String>> statusRows = Markdown.tableRows(
                sections.getOrDefault("Status codes and close codes", ""));
        Set<String> missing = new TreeSet<>();
        for (CodeFacts.Fact status : found(CodeFacts.statuses(), "statuses")) {
            if (!statusRows.containsKey(status.value())) {
                missing.add("status " + where(status));
            }
        }
        Set<String> closeRows = new TreeSet<>();
        Markdown.tableRows(sections.getOrDefault("The WebSocket protocol", "")).keySet()
                .forEach(first -> closeRows.addAll(List.of(first.split("\\s*,\\s*"))));
        CodeFacts.closeCodes().forEach((code, codeName) -> {
            if (!closeRows.contains(Integer.toString(code))) {
                missing.add("close code " + code + " (" + codeName + ")");
            }
        });
        assertEquals(Set.of(), missing, "docs/CONTRACT.md has no table row for these codes");
    }

    @Test
    void theContractNamesEveryRedisKeyAndConnection() {
        List<String> spans = Markdown.spans(Markdown.sections(CodeFacts.read(CONTRACT))
                .getOrDefault("System 1 in Redis", ""));
        List<CodeFacts.Fact> names = new ArrayList<>(found(CodeFacts.redisKeys(), "Redis keys"));
        names.addAll(found(CodeFacts.redisConnectionNames(), "Redis connection names"));
        Set<String> missing = new TreeSet<>();
        for (CodeFacts.Fact redisName : names) {
            if (spans.stream().noneMatch(span -> span.contains(redisName.value()))) {
                missing.add(where(redisName));
            }
        }
        assertEquals(Set.of(), missing, "docs/CONTRACT.md, ## System 1 in Redis, lacks these names");
    }

    // --- what the course names: main classes, settings, /stats fields, runnable blocks --------

    /** The course a student reads: the README, ARCHITECTURE.md and every page under lessons/. */
    private static List<Path> courseDocs() {
        List<Path> course = new ArrayList<>(List.of(ROOT.resolve("README.md"),
                ROOT.resolve("ARCHITECTURE.md")));
        course.addAll(CodeFacts.files(ROOT.resolve("lessons"), ".md"));
        return course;
    }

    private static final Pattern MAIN_METHOD = Pattern.compile("\\bstatic\\s+void\\s+main\\s*\\(");

    private static boolean hasMain(Path file) {
        return MAIN_METHOD.matcher(CodeFacts.read(file)).find();
    }

    /**
     * A program the course names by its class ("System1WorkersMain", "analytics.demo.DemoMain")
     * is one a student can start: the class exists and has a main method.
     */
    @Test
    void everyMainClassTheCourseNamesExistsAndHasAMainMethod() {
        Map<String, List<Path>> classes = CodeFacts.classFiles();
        Pattern mainClass = Pattern.compile("\\b((?:analytics\\.(?:[a-z0-9]+\\.)*)?([A-Z]\\w*Main))\\b");
        Set<String> problems = new TreeSet<>();
        for (Path doc : courseDocs()) {
            Matcher m = mainClass.matcher(CodeFacts.read(doc));
            while (m.find()) {
                String named = m.group(1);
                List<Path> files = named.startsWith("analytics.")
                        ? List.of(ROOT.resolve("src/" + named.replace('.', '/') + ".java"))
                        : classes.getOrDefault(m.group(2), List.of());
                if (files.stream().noneMatch(Files::exists)) {
                    problems.add(name(doc) + ": " + named + " is no class");
                } else if (files.stream().filter(Files::exists).noneMatch(DocsTest::hasMain)) {
                    problems.add(name(doc) + ": " + named + " has no main method");
                }
            }
        }
        assertEquals(Set.of(), problems, "programs the course names that a student cannot start");
    }

    /**
     * Settings the scripts read themselves, with a default: {@code ${FUZZ_MINUTES:-60}}, and
     * {@code process.env.NAME} in the Node clients.
     */
    private static Set<String> scriptSettings() {
        List<Path> scripts = new ArrayList<>(CodeFacts.files(ROOT.resolve("scripts"), ".sh"));
        scripts.addAll(CodeFacts.files(ROOT.resolve("scripts"), ".mjs"));
        scripts.add(ROOT.resolve("Makefile"));
        Pattern withDefault = Pattern.compile(
                "\\$\\{([A-Z][A-Z0-9_]*):?[-=]|process\\.env\\.([A-Z][A-Z0-9_]*)");
        Set<String> names = new TreeSet<>();
        for (Path script : scripts) {
            Matcher m = withDefault.matcher(CodeFacts.read(script));
            while (m.find()) {
                names.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
        return names;
    }

    /**
     * A setting the course names - any upper-case name with a settings prefix (SYSTEM1_,
     * SYSTEM2_, FAKE_, WS_, LOAD_TEST_, ...: the prefixes of the code's own settings) - is
     * one the code reads (CodeFacts.settings: Config, System.getenv) or a script reads with a
     * default. Left out: a constant quoted with its class (`System2Handler.DASHBOARD_...`), and
     * a name the same page introduces in quotes (an exercise's {@code env.integer("NEW_ONE",...)}).
     */
    @Test
    void everySettingTheCourseNamesIsOneTheCodeReads() {
        Set<String> settings = CodeFacts.settings().keySet();
        Set<String> read = new TreeSet<>(settings);
        read.addAll(scriptSettings());
        Set<String> prefixes = new TreeSet<>();
        settings.stream().filter(setting -> setting.contains("_"))
                .forEach(setting -> prefixes.add(setting.substring(0, setting.indexOf('_'))));
        assertTrue(prefixes.contains("SYSTEM1") && prefixes.contains("FAKE"),
                "CodeFacts.settings no longer finds the settings: " + prefixes);
        Pattern setting = Pattern.compile("(?<![\\w.])((?:" + String.join("|", prefixes)
                + ")_[A-Z0-9_]*[A-Z0-9])\\b");
        Set<String> unknown = new TreeSet<>();
        for (Path doc : courseDocs()) {
            String text = CodeFacts.read(doc);
            List<String> introduced = Markdown.found(Pattern.compile("\"([A-Z][A-Z0-9_]+)\""), text);
            for (String named : Markdown.found(setting, text)) {
                if (!read.contains(named) && !introduced.contains(named)) {
                    unknown.add(name(doc) + ": " + named);
                }
            }
        }
        assertEquals(Set.of(), unknown, "settings the course names that nothing reads");
    }

    private static final Pattern STATS_FIELD_SPAN = Pattern.compile(
            "\"?([a-z][a-zA-Z]*(?:\\.[a-z][a-zA-Z]*)*)\"?(?::.*)?");
    private static final Pattern JSON_KEY = Pattern.compile("\"([a-z][a-zA-Z]*)\":");

    /**
     * The /stats fields a page names. In prose: in a sentence that names {@code /stats}, each
     * code span that is a field, a dotted path of them or a {@code "field":value} -
     * {@code batcher.roundTrips}, {@code "reconnects":1}; a long camelCase name is a test's
     * (checked elsewhere), a span with braces a whole answer. In a command: every
     * {@code "field":} on a line that asks for {@code /stats}.
     */
    static Set<String> statsFieldsNamed(String markdown) {
        Set<String> named = new TreeSet<>();
        for (String paragraph : Markdown.paragraphs(markdown)) {
            StringBuilder text = new StringBuilder();
            for (String line : paragraph.split("\n")) {
                String item = line.strip();
                if (item.startsWith("- ") || item.matches("\\d+\\. .*")) {
                    text.append('\n'); // a list item is a sentence of its own, full stop or not
                }
                if (!item.startsWith("|")) { // a walk-through row names Java members
                    text.append(item).append(' ');
                }
            }
            for (String sentence : text.toString().split("\n|(?<=[.?!])\\s+(?=[A-Z0-9`(*])")) {
                if (!sentence.contains("/stats")) {
                    continue;
                }
                for (String span : Markdown.spans(sentence)) {
                    Matcher m = STATS_FIELD_SPAN.matcher(span);
                    if (m.matches()) {
                        for (String part : m.group(1).split("\\.")) {
                            if (part.chars().filter(Character::isUpperCase).count() <= 3) {
                                named.add(part);
                            }
                        }
                    }
                }
            }
        }
        for (String block : Markdown.blocks(markdown)) {
            for (String line : block.split("\n")) {
                if (line.contains("/stats")) {
                    named.addAll(Markdown.found(JSON_KEY, line));
                }
            }
        }
        return named;
    }

    @Test
    void statsFieldsAreReadFromProseAndCommands() {
        String markdown = "Then `/stats` counts `receivedTotal` and `batcher.roundTrips`,"
                + " shows `\"reconnects\":1`; `h2` is a label, `aVeryLongTestNameThatChecksSomething`"
                + " a test. Not here: `other`.\n\n"
                + "| `IngestStats` | `snapshot` | `/stats` |\n\n"
                + "```bash\ncurl -s :4000/stats | grep -o '\"admission\":{[^}]*}'\n"
                + "curl -d '{\"serverId\":\"s\"}' :4000/metrics\n```\n\n"
                + "- Follow a metric to each `metric.update`, naming classes\n"
                + "- Read the `/stats` and its `dropped`\n";
        // A list item without a full stop is still a sentence: metric.update is not a field.
        assertEquals(Set.of("receivedTotal", "batcher", "roundTrips", "reconnects", "admission",
                "dropped"), statsFieldsNamed(markdown));
    }

    /** A /stats field the course names is one a system's /stats writes (CodeFacts.statsFields). */
    @Test
    void everyStatsFieldTheCourseNamesIsOneTheCodeWrites() {
        Set<String> written = new TreeSet<>();
        found(CodeFacts.statsFields(), "/stats fields").forEach(field -> written.add(field.value()));
        Set<String> unknown = new TreeSet<>();
        for (Path doc : courseDocs()) {
            for (String field : statsFieldsNamed(CodeFacts.read(doc))) {
                if (!written.contains(field)) {
                    unknown.add(name(doc) + ": " + field);
                }
            }
        }
        assertEquals(Set.of(), unknown, "/stats fields the course names that no /stats has");
    }

    @Test
    void runnableBlocksAreReadAsTheRunnerReadsThem() {
        String markdown = "# t\n```bash run\necho one\n```\n```bash\nmake run\n```\n"
                + "1. An exercise:\n\n   ```bash run\n   make config |\n     grep LOG\n   ```\n";
        assertEquals(List.of(new Markdown.Block(3, "echo one"),
                new Markdown.Block(11, "make config |\n  grep LOG")), Markdown.runnableBlocks(markdown));
        assertEquals("# t\n\n\n1. An exercise:\n\n   \n", Markdown.prose(markdown),
                "a block with an info string of two words is still a block, not prose");
    }

    /**
     * The blocks this test checks are the ones CI runs: scripts/run-doc-blocks.sh --list
     * names the same files and lines.
     */
    @Test
    void theRunnerFindsTheSameRunnableBlocks() throws Exception {
        List<String> expected = new ArrayList<>();
        for (Path doc : courseDocs()) {
            for (Markdown.Block block : Markdown.runnableBlocks(CodeFacts.read(doc))) {
                expected.add(name(doc) + ":" + block.line());
            }
        }
        assertTrue(!expected.isEmpty(), "no block of the course is marked ```bash run");
        Process list = new ProcessBuilder("scripts/run-doc-blocks.sh", "--list")
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(list.waitFor(30, TimeUnit.SECONDS), "run-doc-blocks.sh --list hangs");
        assertEquals(0, list.exitValue(), out);
        assertEquals(expected, List.of(out.strip().split("\n")));
    }

    /** Every block CI runs is at least valid bash: `bash -n` parses it without running it. */
    @Test
    void everyRunnableBlockParses() throws Exception {
        List<String> broken = new ArrayList<>();
        for (Path doc : courseDocs()) {
            for (Markdown.Block block : Markdown.runnableBlocks(CodeFacts.read(doc))) {
                Process bash = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
                try (OutputStream stdin = bash.getOutputStream()) {
                    stdin.write(block.code().getBytes(StandardCharsets.UTF_8));
                }
                String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(bash.waitFor(10, TimeUnit.SECONDS), "bash -n hangs");
                if (bash.exitValue() != 0) {
                    broken.add(name(doc) + ":" + block.line() + ": " + out.strip());
                }
            }
        }
        assertEquals(List.of(), broken, "```bash run blocks that bash cannot parse");
    }
}
