package analytics.testing;

import analytics.config.Config;
import analytics.model.ServerShards;
import analytics.system2.System2;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A sharded System 2 in the test's JVM: N real instances on free loopback ports, each
 * stopped and started again on its own port, and what each one holds read the way any
 * client would - a snapshot over a WebSocket, GET /stats.
 *
 * Pattern: test fixture around real servers (no mock), the shards' list in the senders'
 *          own form.
 * Lesson:  lessons/22-sharding-system2.md
 * Threads: the test's.
 */
public final class System2Fleet implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Map<String, String> variables;
    private final int[] ports;
    private final System2[] instances;

    /** @param variables settings every instance gets, as name, value pairs */
    public System2Fleet(int size, String... variables) throws IOException {
        this.variables = new HashMap<>();
        for (int i = 0; i + 1 < variables.length; i += 2) {
            this.variables.put(variables[i], variables[i + 1]);
        }
        this.ports = new int[size];
        this.instances = new System2[size];
        for (int i = 0; i < size; i++) {
            instances[i] = System2.start(config(0));
            ports[i] = instances[i].port();
        }
    }

    private Config config(int port) {
        Map<String, String> all = new HashMap<>(variables);
        all.put("SYSTEM2_WS_PORT", String.valueOf(port));
        return Config.from(all);
    }

    public int size() {
        return instances.length;
    }

    public int port(int shard) {
        return ports[shard];
    }

    public String uri(int shard) {
        return "ws://127.0.0.1:" + ports[shard];
    }

    /** "ws://127.0.0.1:p0,ws://127.0.0.1:p1,...": FAKE_SYSTEM2_SHARDS, in shard order. */
    public String shardList() {
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            uris.add(uri(i));
        }
        return String.join(",", uris);
    }

    /** server-{first}..server-{first+count-1} that ServerShards gives to {@code shard}. */
    public Set<String> owned(int shard, int first, int count) {
        Set<String> ids = new TreeSet<>();
        for (int i = first; i < first + count; i++) {
            if (ServerShards.ownerOf("server-" + i, size()) == shard) {
                ids.add("server-" + i);
            }
        }
        return ids;
    }

    /** Stops one instance as a crash would leave its clients: every connection closed. */
    public void stop(int shard) {
        instances[shard].close();
        instances[shard] = null;
    }

    /** Starts it again, empty, on the port it had. */
    public void restart(int shard) throws IOException {
        instances[shard] = System2.start(config(ports[shard]));
    }

    /** Every aggregate a snapshot.request on {@code shard} answers, by serverId. */
    public Map<String, JsonObject> snapshot(int shard) {
        Map<String, JsonObject> byServer = new HashMap<>();
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(uri(shard))) {
            client.send("{\"type\":\"snapshot.request\"}");
            for (JsonValue aggregate : client.next("snapshot").get("payload").asArray()) {
                byServer.put(aggregate.asObject().getString("serverId", ""), aggregate.asObject());
            }
        }
        return byServer;
    }

    /** GET /stats of one instance; unchecked, so a condition for Await can ask it. */
    public JsonObject stats(int shard) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[shard]
                    + "/stats")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return Json.parse(body).asObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking for /stats", e);
        }
    }

    /** Metrics one instance aggregated since it (last) started. */
    public long accepted(int shard) {
        return stats(shard).get("metrics").asObject().getLong("acceptedTotal", -1);
    }

    @Override
    public void close() {
        for (System2 instance : instances) {
            if (instance != null) {
                instance.close();
            }
        }
    }
}
