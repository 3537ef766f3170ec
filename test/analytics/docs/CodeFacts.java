package analytics.docs;

import analytics.config.Config;
import analytics.websocket.CloseCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the code says the wire contract is - settings with their defaults, routes, message
 * types, status and close codes, Redis keys and connection names - read from the running
 * configuration where it tells (Config.describe, CloseCode) and from the sources otherwise.
 * DocsTest holds docs/CONTRACT.md against these facts.
 *
 * Pattern: docs as tested artefacts - facts are collected from code, never listed by hand,
 *          so a new route or setting is noticed without anyone remembering to add it here.
 * Lesson:  lessons/01-build-and-test.md
 * Not here: what the contract must say about each fact (DocsTest).
 * Threads: stateless; each call reads the files afresh.
 */
final class CodeFacts {

    /** One fact and the file it was found in, for a failure message a person can act on. */
    record Fact(String value, Path file) {
    }

    static final Path ROOT = Path.of(System.getProperty("project.root", "."));

    private static final Pattern CASE_PATH = Pattern.compile(
            "case\\s+(\"/[^\"]*\"(?:\\s*,\\s*\"/[^\"]*\")*)\\s*->");
    private static final Pattern EQUALS_PATH = Pattern.compile("path\\(\\)\\.equals\\(\"(/[^\"]*)\"\\)");
    private static final Pattern PATH_CONSTANT = Pattern.compile(
            "static final String ([A-Z][A-Z0-9_]*)\\s*=\\s*\"(/[^\"]*)\"");
    private static final Pattern QUOTED = Pattern.compile("[\"']([^\"']*)[\"']");

    private static final Pattern TYPE_ADDED = Pattern.compile("\\.add\\(\"type\",\\s*\"([^\"]+)\"\\)");
    private static final Pattern TYPE_CONSTANT = Pattern.compile("_TYPE\\s*=\\s*\"([a-z]+(?:\\.[a-z]+)*)\"");
    /** A switch whose selector mentions "type": its case labels are message types. */
    private static final Pattern TYPE_SWITCH = Pattern.compile("switch\\s*\\(([^)]*type[^)]*)\\)\\s*\\{");
    private static final Pattern CASE_LABEL = Pattern.compile(
            "case\\s+((?:[\"'][^\"']*[\"']\\s*,?\\s*)+)(?:->|:)");

    /** The status of an answer our servers build: json(404, ...), error(413, ...), plain(405 ...). */
    private static final Pattern STATUS = Pattern.compile(
            "\\b(?:json|error|plain|text|reject|Response|BadRequestException)\\(([1-5][0-9]{2})\\b");
    /** Clients of the contract, not servers of it: their status literals are expectations. */
    private static final List<String> CLIENT_PACKAGES = List.of("sender", "loadtest", "demo");

    private static final Pattern REDIS_KEY = Pattern.compile("\"(metrics[:-][^\"]*)\"");
    private static final Pattern CONNECTION_NAME = Pattern.compile("new RedisConnector\\([^;]*?\"([^\"]+)\"");
    private static final Pattern GETENV = Pattern.compile("System\\.getenv\\(\"([A-Z][A-Z0-9_]*)\"\\)");

    private CodeFacts() {
    }

    /**
     * Every setting with its default: the variables Config reads (its own list, the one
     * {@code make config} prints) plus the few read with System.getenv elsewhere, whose
     * default is "(unset)".
     */
    static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>(Config.describe(Map.of()));
        for (Fact name : matches(GETENV, javaFiles())) {
            settings.putIfAbsent(name.value(), null);
        }
        return settings;
    }

    /**
     * Paths the servers route on: {@code case "/x"} labels, {@code path().equals("/x")}, and
     * constants holding a path that the same file uses as a case label or in equals(...).
     */
    static List<Fact> routes() {
        List<Fact> routes = new ArrayList<>();
        for (Path file : sourceFiles()) {
            String text = read(file);
            Matcher labels = CASE_PATH.matcher(text);
            while (labels.find()) {
                Matcher quoted = QUOTED.matcher(labels.group(1));
                while (quoted.find()) {
                    routes.add(new Fact(quoted.group(1), file));
                }
            }
            routes.addAll(matches(EQUALS_PATH, file, text));
            Matcher constant = PATH_CONSTANT.matcher(text);
            while (constant.find()) {
                String name = Pattern.quote(constant.group(1));
                if (Pattern.compile("case\\s+(?:\\w+\\s*,\\s*)*" + name + "\\b|equals\\(" + name + "\\)")
                        .matcher(text).find()) {
                    routes.add(new Fact(constant.group(2), file));
                }
            }
        }
        return routes;
    }

    /**
     * The "type" of every WebSocket message the code writes or dispatches on, in Java and in
     * the dashboard page: {@code .add("type", "x")}, {@code *_TYPE = "x"} and the case labels
     * of a switch on a type.
     */
    static List<Fact> messageTypes() {
        List<Path> files = new ArrayList<>(sourceFiles());
        files.add(ROOT.resolve("dashboard/app.js"));
        List<Fact> types = new ArrayList<>();
        for (Path file : files) {
            String text = read(file);
            types.addAll(matches(TYPE_ADDED, file, text));
            types.addAll(matches(TYPE_CONSTANT, file, text));
            Matcher selector = TYPE_SWITCH.matcher(text);
            while (selector.find()) {
                String body = block(text, selector.end() - 1);
                Matcher label = CASE_LABEL.matcher(body);
                while (label.find()) {
                    Matcher quoted = QUOTED.matcher(label.group(1));
                    while (quoted.find()) {
                        types.add(new Fact(quoted.group(1), file));
                    }
                }
            }
        }
        return types;
    }

    /** HTTP statuses our servers answer with (the clients' packages left out). */
    static List<Fact> statuses() {
        List<Path> servers = sourceFiles().stream()
                .filter(file -> !CLIENT_PACKAGES.contains(packageOf(file).split("\\.")[0]))
                .toList();
        return matches(STATUS, servers);
    }

    /** Every close code of the protocol's enum, by its wire value. */
    static Map<Integer, String> closeCodes() {
        Map<Integer, String> codes = new TreeMap<>();
        for (CloseCode code : CloseCode.values()) {
            codes.put(code.code(), code.name());
        }
        return codes;
    }

    /** Redis key names and prefixes in the code ("metrics:servers", "metrics:agg:", the group). */
    static List<Fact> redisKeys() {
        return matches(REDIS_KEY, sourceFiles());
    }

    /** The names System 1's Redis connections give themselves (CLIENT SETNAME). */
    static List<Fact> redisConnectionNames() {
        return matches(CONNECTION_NAME, sourceFiles());
    }

    private static final Pattern JSON_MEMBER = Pattern.compile("\\.(?:add|set)\\(\"(\\w+)\"");
    private static final Pattern EMBEDDED_FIGURES = Pattern.compile("JsonObject figures\\(");

    /**
     * The members of every GET /stats document: the names added to a JsonObject by the stats
     * package, by each system's StatsSnapshot, and by the figures one embeds (System 2's
     * bridge, a {@code JsonObject figures()}).
     */
    static List<Fact> statsFields() {
        List<Fact> fields = new ArrayList<>();
        for (Path file : sourceFiles()) {
            String text = read(file);
            if (packageOf(file).equals("stats") || text.contains("implements StatsSnapshot")
                    || EMBEDDED_FIGURES.matcher(text).find()) {
                fields.addAll(matches(JSON_MEMBER, file, text));
            }
        }
        return fields;
    }

    /** The package a source file is in, as its folder under src/ says: "system1.ingest". */
    static String packageOf(Path file) {
        Path relative = ROOT.resolve("src/analytics").relativize(file).getParent();
        return relative == null ? "" : relative.toString().replace('/', '.');
    }

    static List<Path> sourceFiles() {
        return files(ROOT.resolve("src"), ".java");
    }

    /** Every Java file of src/ and test/. */
    static List<Path> javaFiles() {
        List<Path> all = new ArrayList<>(sourceFiles());
        all.addAll(files(ROOT.resolve("test"), ".java"));
        return all;
    }

    static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Simple class name to its files, for src/ and test/: usually one, but two packages may
     * each have a class of the same name (FrameDecoder is WebSocket's and HTTP/2's).
     */
    static Map<String, List<Path>> classFiles() {
        Map<String, List<Path>> classes = new TreeMap<>();
        for (Path file : javaFiles()) {
            classes.computeIfAbsent(file.getFileName().toString().replace(".java", ""),
                    name -> new ArrayList<>()).add(file);
        }
        return classes;
    }

    private static final Pattern LESSON = Pattern.compile("Lesson:\\s+(lessons/[a-z0-9-]+\\.md)");

    /** The lesson a class's header comment names ("Lesson: lessons/17-x.md"); null if none. */
    static String lessonOf(Path file) {
        Matcher m = LESSON.matcher(read(file));
        return m.find() ? m.group(1) : null;
    }

    /**
     * The files a doc can mean by a simple class name. One class of that name: its file. Two
     * or more: the one whose header names this doc as its lesson - lesson 17's FrameDecoder
     * is HTTP/2's, lesson 05's WebSocket's; a doc that is no candidate's lesson (a README,
     * another lesson) may mean any of them. Empty when the name is not a class of ours.
     *
     * @param doc the doc's path from the project root, as a "Lesson:" line spells it
     */
    static List<Path> classFilesFor(Map<String, List<Path>> classes, String name, String doc) {
        List<Path> files = classes.getOrDefault(name, List.of());
        if (files.size() < 2) {
            return files;
        }
        List<Path> ofThisLesson = files.stream().filter(file -> doc.equals(lessonOf(file))).toList();
        return ofThisLesson.isEmpty() ? files : ofThisLesson;
    }

    private static List<Fact> matches(Pattern pattern, List<Path> files) {
        List<Fact> found = new ArrayList<>();
        for (Path file : files) {
            found.addAll(matches(pattern, file, read(file)));
        }
        return found;
    }

    private static List<Fact> matches(Pattern pattern, Path file, String text) {
        List<Fact> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(new Fact(m.group(1), file));
        }
        return found;
    }

    /** The text of the brace block opening at {@code open}, nested blocks included. */
    private static String block(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.substring(open, i + 1);
            }
        }
        return text.substring(open);
    }
    // --- questions about one class's source, for the names the lessons quote ---------------

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");

    /** The package a Java file declares: "analytics.system1.ingest". */
    static String declaredPackage(Path file) {
        Matcher m = PACKAGE.matcher(read(file));
        return m.find() ? m.group(1) : "";
    }

    /** Whether the name occurs in the file as a whole word: a method, field or nested type. */
    static boolean mentions(Path file, String name) {
        return Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(read(file)).find();
    }

    /** The declaration of the file's own class, record, enum or interface, e.g. "public final class". */
    static String typeDeclaration(Path file, String name) {
        Matcher m = Pattern.compile("(?m)^((?:public |protected |private |static |final |abstract |sealed "
                + "|non-sealed )*)(class|record|enum|interface) " + Pattern.quote(name) + "\\b")
                .matcher(read(file));
        return m.find() ? m.group(1) + m.group(2) : "";
    }

    /**
     * Whether code in another package can call {@code new Name(...)}: a public class whose
     * constructors (none declared: the default one) include a public one. A record's
     * canonical constructor is as visible as the record.
     */
    static boolean constructorIsPublic(Path file, String name) {
        String type = typeDeclaration(file, name);
        if (!type.startsWith("public")) {
            return false;
        }
        if (type.endsWith("record")) {
            return true;
        }
        Matcher ctor = Pattern.compile("(?m)^\\s*((?:public|protected|private)\\s+)?" + Pattern.quote(name)
                + "\\s*\\(").matcher(read(file));
        boolean any = false;
        while (ctor.find()) {
            any = true;
            if ("public".equals(ctor.group(1) == null ? null : ctor.group(1).strip())) {
                return true;
            }
        }
        return !any;
    }

    /** The component names in a record's header (a generic's type argument may slip in: harmless). */
    private static List<String> recordComponents(Path file, String name) {
        Matcher header = Pattern.compile("record " + Pattern.quote(name) + "\\s*\\(([^)]*)\\)")
                .matcher(read(file));
        List<String> names = new ArrayList<>();
        if (header.find()) {
            Matcher component = Pattern.compile("(\\w+)\\s*(?:,|$)").matcher(header.group(1));
            while (component.find()) {
                names.add(component.group(1));
            }
        }
        return names;
    }

    /** Whether code in another package can call {@code Name.method(...)}. */
    static boolean methodIsPublic(Path file, String name, String method) {
        String type = typeDeclaration(file, name);
        if (!type.startsWith("public")) {
            return false;
        }
        if (type.endsWith("interface")
                || type.endsWith("record") && recordComponents(file, name).contains(method)) {
            return true; // interface members, and the accessors of a public record, are public
        }
        Matcher declaration = Pattern.compile("(?m)^\\s*((?:(?:public|protected|private|static|final"
                + "|synchronized|abstract|default)\\s+)*)(?:<[^>]+>\\s+)?[\\w.<>\\[\\]?, ]+\\s+"
                + Pattern.quote(method)
                + "\\s*\\(").matcher(read(file));
        while (declaration.find()) {
            if (declaration.group(1).contains("public")) {
                return true;
            }
        }
        return false;
    }
}
