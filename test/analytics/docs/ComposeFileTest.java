package analytics.docs;

import static analytics.docs.CodeFacts.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.testing.ExternalTool;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, checked without a Docker engine: Debian's docker-compose validates it
 * and prints it resolved (anchors merged, ${NAME:-default} filled in); python3's yaml
 * module, which docker-compose itself depends on, turns that into JSON for minimal-json.
 * Then every service built from our image must run a main class that exists under src/
 * (or a make target that exists), with settings Config knows and accepts; nginx must get
 * a value for each placeholder of scripts/nginx/nginx.conf.template.
 *
 * Without docker-compose the tests are reported skipped with what to install.
 */
class ComposeFileTest {

    private static final Path COMPOSE_FILE = ROOT.resolve("docker-compose.yml");
    private static final Path DOCKERFILE = ROOT.resolve("scripts/docker/Dockerfile");
    private static final Path NGINX_TEMPLATE = ROOT.resolve("scripts/nginx/nginx.conf.template");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(NGINX_[A-Z0-9_]+)}");
    private static final String YAML_TO_JSON =
            "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)";
    private static final int TIMEOUT_SECONDS = 60;

    private static JsonObject services;

    @BeforeAll
    static void resolveTheComposeFile() throws Exception {
        Path compose = ExternalTool.require("docker-compose", "apt-get install docker-compose",
                List.of("docker-compose"));
        // An empty env file: the defaults of the file itself, not a developer's .env.
        Path noEnv = Files.createDirectories(ROOT.resolve("build/compose-test")).resolve("empty.env");
        Files.writeString(noEnv, "");
        List<String> base = List.of(compose.toString(), "-f", COMPOSE_FILE.toString(),
                "--env-file", noEnv.toString(), "config");
        run(concat(base, "-q"), null);
        String resolved = run(base, null);
        services = Json.parse(run(List.of("python3", "-c", YAML_TO_JSON), resolved))
                .asObject().get("services").asObject();
    }

    private static List<String> concat(List<String> command, String more) {
        List<String> all = new ArrayList<>(command);
        all.add(more);
        return all;
    }

    /** Runs {@code command} in the project root with {@code input} on stdin; its stdout. */
    private static String run(List<String> command, String input) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("compose-test", ".err");
        Process process = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectError(errors.toFile()).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes());
        }
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), command + " hung");
        assertEquals(0, process.exitValue(), command + " failed: " + Files.readString(errors));
        Files.delete(errors);
        return out;
    }

    /** The services built from scripts/docker/Dockerfile: the programs of this project. */
    private static Map<String, JsonObject> ourServices() {
        Map<String, JsonObject> ours = new HashMap<>();
        for (JsonObject.Member service : services) {
            if (service.getValue().asObject().get("build") != null) {
                ours.put(service.getName(), service.getValue().asObject());
            }
        }
        return ours;
    }

    private static List<String> strings(JsonValue array) {
        return array.asArray().values().stream().map(JsonValue::asString).toList();
    }

    private static Map<String, String> environment(JsonObject service) {
        Map<String, String> environment = new HashMap<>();
        JsonValue variables = service.get("environment");
        if (variables != null) {
            for (JsonObject.Member variable : variables.asObject()) {
                environment.put(variable.getName(), variable.getValue().isString()
                        ? variable.getValue().asString() : variable.getValue().toString());
            }
        }
        return environment;
    }

    /**
     * What a service's command runs: "./build.sh run CLASS [ARGS]" must name a class with a
     * main method under src/, "make TARGET" a target of the Makefile. Anything else is refused.
     */
    static String programOf(List<String> command) {
        if (command.size() >= 3 && command.get(0).equals("./build.sh") && command.get(1).equals("run")) {
            String mainClass = command.get(2);
            Path source = ROOT.resolve("src").resolve(mainClass.replace('.', '/') + ".java");
            if (!Files.exists(source)) {
                throw new IllegalArgumentException("no class " + mainClass + " under src/ (" + source + ")");
            }
            if (!CodeFacts.read(source).contains("public static void main(String[] args)")) {
                throw new IllegalArgumentException(mainClass + " has no main method");
            }
            return mainClass;
        }
        if (command.size() >= 2 && command.get(0).equals("make")) {
            String target = command.get(1);
            if (!Pattern.compile("(?m)^" + Pattern.quote(target) + ":").matcher(
                    CodeFacts.read(ROOT.resolve("Makefile"))).find()) {
                throw new IllegalArgumentException("no make target " + target + " in the Makefile");
            }
            return "make " + target;
        }
        throw new IllegalArgumentException("a command must be ./build.sh run CLASS or make TARGET, not "
                + command);
    }

    @Test
    void everyPartOfTheStackIsAService() {
        Set<String> names = new TreeSet<>(services.names());
        for (String expected : List.of("redis", "ingest", "worker", "broadcaster", "nginx", "system2",
                "senders-http", "senders-ws", "dashboard")) {
            assertTrue(names.contains(expected), "no service " + expected + " in " + names);
        }
    }

    @Test
    void everyServiceOfOurImageRunsARealProgram() {
        Map<String, JsonObject> ours = ourServices();
        assertTrue(ours.size() >= 7, "services built from the Dockerfile: " + ours.keySet());
        for (Map.Entry<String, JsonObject> service : ours.entrySet()) {
            JsonObject build = service.getValue().get("build").asObject();
            assertEquals(ROOT.toAbsolutePath().normalize(), Path.of(build.getString("context", "")),
                    service.getKey() + " builds from the repository root");
            assertEquals("scripts/docker/Dockerfile", build.getString("dockerfile", ""), service.getKey());
            programOf(strings(service.getValue().get("command")));
        }
        assertEquals("analytics.system1.ingest.System1IngestMain",
                programOf(strings(services.get("ingest").asObject().get("command"))));
        assertEquals("analytics.system1.worker.System1WorkersMain",
                programOf(strings(services.get("worker").asObject().get("command"))));
        assertEquals("analytics.system1.broadcast.System1BroadcasterMain",
                programOf(strings(services.get("broadcaster").asObject().get("command"))));
    }

    @Test
    void everySettingAServiceGetsIsOneConfigKnowsAndAccepts() {
        Set<String> known = Config.describe(Map.of()).keySet();
        for (Map.Entry<String, JsonObject> service : ourServices().entrySet()) {
            Map<String, String> environment = environment(service.getValue());
            assertTrue(environment.size() > 10, service.getKey() + " gets the settings");
            for (String name : environment.keySet()) {
                assertTrue(known.contains(name), service.getKey() + " sets " + name
                        + ", which analytics.config.Config does not read");
            }
            Config.from(environment); // throws ConfigException, naming the variable, on a bad value
        }
    }

    @Test
    void theScaledServicesPublishNoPortSoCopiesDoNotCollide() {
        for (String scaled : List.of("ingest", "worker", "broadcaster")) {
            assertEquals(null, services.get(scaled).asObject().get("ports"),
                    scaled + " is reached through nginx or not at all");
        }
    }

    @Test
    void everyServerHasAHealthCheck() {
        for (String server : List.of("redis", "ingest", "broadcaster", "nginx", "system2", "dashboard")) {
            JsonValue check = services.get(server).asObject().get("healthcheck");
            assertTrue(check != null && check.asObject().get("test") != null, server + " has a health check");
        }
        assertTrue(strings(services.get("ingest").asObject().get("healthcheck").asObject().get("test"))
                .contains("http://127.0.0.1:4000/healthz"), "ingest is healthy when /healthz says so");
    }

    @Test
    void nginxGetsAValueForEveryPlaceholderOfTheTemplate() {
        Set<String> placeholders = new TreeSet<>();
        Matcher placeholder = PLACEHOLDER.matcher(CodeFacts.read(NGINX_TEMPLATE));
        while (placeholder.find()) {
            placeholders.add(placeholder.group(1));
        }
        JsonObject nginx = services.get("nginx").asObject();
        Set<String> given = new TreeSet<>(environment(nginx).keySet());
        given.removeIf(name -> !name.startsWith("NGINX_") || name.startsWith("NGINX_ENVSUBST_"));
        assertEquals(placeholders, given);
        assertTrue(strings(nginx.get("volumes")).stream().anyMatch(volume ->
                        volume.endsWith(":/etc/nginx/templates/nginx.conf.template:ro")),
                "the template is mounted where the image renders it: " + nginx.get("volumes"));
    }

    @Test
    void theClusterProfileJoinsSixNodesAndSystem1CanReachThem() {
        List<String> addresses = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            JsonObject node = services.get("redis-node-" + n).asObject();
            assertEquals(List.of("cluster"), strings(node.get("profiles")), "redis-node-" + n);
            assertTrue(strings(node.get("command")).containsAll(List.of("--cluster-enabled", "yes")));
            String address = node.get("networks").asObject().get("cluster").asObject()
                    .getString("ipv4_address", "");
            addresses.add(address + ":6379");
        }
        List<String> create = strings(services.get("redis-cluster-init").asObject().get("command"));
        assertEquals("--cluster", create.get(1));
        assertTrue(create.containsAll(addresses), "the init service joins every node: " + create);
        assertTrue(create.containsAll(List.of("--cluster-replicas", "1")), "3 masters + 3 replicas");
        for (String part : List.of("ingest", "worker", "broadcaster")) {
            assertTrue(services.get(part).asObject().get("networks").asObject().names().contains("cluster"),
                    part + " reaches the cluster's network");
            assertTrue(environment(services.get(part).asObject()).containsKey("SYSTEM1_REDIS_CLUSTER"), part);
        }
    }

    @Test
    void theImageIsBuiltWithTheProjectsOwnBuildScript() {
        String dockerfile = CodeFacts.read(DOCKERFILE);
        assertTrue(dockerfile.contains("FROM eclipse-temurin:21-jdk"), "a JDK base image");
        assertTrue(dockerfile.contains("RUN rm -rf build && ./build.sh build"), "compiled by build.sh");
    }

    @Test
    void aCommandNamingNoRealProgramIsRefused() {
        assertEquals("no class analytics.system1.NoSuchMain under src/ ("
                        + ROOT.resolve("src/analytics/system1/NoSuchMain.java") + ")",
                assertThrows(IllegalArgumentException.class, () -> programOf(
                        List.of("./build.sh", "run", "analytics.system1.NoSuchMain"))).getMessage());
        assertEquals("no make target run-nowhere in the Makefile",
                assertThrows(IllegalArgumentException.class,
                        () -> programOf(List.of("make", "run-nowhere"))).getMessage());
        assertEquals("a command must be ./build.sh run CLASS or make TARGET, not [java, -jar, app.jar]",
                assertThrows(IllegalArgumentException.class,
                        () -> programOf(List.of("java", "-jar", "app.jar"))).getMessage());
        assertEquals("make build", programOf(List.of("make", "build")));
    }
}
