package analytics.sender;

import analytics.config.Config;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one run of the senders does: the FAKE_* settings of the configuration, overridden
 * by command-line flags. A bad flag is an IllegalArgumentException whose message is the
 * one line to show the user.
 *
 * Pattern: parse, don't validate - the flags become a typed value once, at the edge.
 * Lesson:  lessons/14-fake-metric-servers.md
 * Not here: printing and exit codes (SendersMain).
 * Threads: immutable, so share it freely.
 *
 * @param first    the number of the first simulated server: server-{first}..server-{first+count-1}
 * @param duration {@code null}: run until stopped
 * @param bufferSize metrics kept while the target cannot take them (FAKE_BUFFER_SIZE)
 * @param shards   ws mode, a sharded System 2: every instance in shard order (--shards or
 *                 FAKE_SYSTEM2_SHARDS), each server's metrics to its owner (ServerShards);
 *                 empty: everything to {@code target}
 */
public record SenderOptions(Mode mode, URI target, int count, int first, long seed, Duration duration,
                            Duration interval, Duration jitter,
                            double spikeProbability, double spikeMultiplier,
                            int bufferSize, List<URI> shards) {

    /** The seed when --seed is not given: fixed, so two runs show the same fleet. */
    public static final long DEFAULT_SEED = 42;

    public static final String USAGE = """
            usage: SendersMain [--mode http|h2|ws] [--target URI] [--count N] [--first N] \
            [--seed S] [--duration SECONDS] [--shards URI,URI...] [--help]
              --mode      http: POST per metric over HTTP/1.1 (default); h2: the same over HTTP/2;
                          ws: WebSocket producer messages
              --target    where to send (default FAKE_HTTP_TARGET; FAKE_HTTP2_TARGET for h2,
                          FAKE_WS_TARGET for ws)
              --count     simulated servers server-1..server-N (default FAKE_SERVER_COUNT)
              --first     number the servers from here instead of 1 (two sender groups, two fleets)
              --seed      same seed, same data (default %d)
              --duration  stop by itself after this many seconds (default: run until Ctrl-C)
              --shards    ws only: a sharded System 2, its instances in shard order; each
                          server goes to instance CRC32(serverId) mod N (default
                          FAKE_SYSTEM2_SHARDS; empty: one System 2 at the target)
            interval, jitter and spikes come from FAKE_SERVER_INTERVAL_MS, FAKE_JITTER_MS,
            FAKE_SPIKE_PROBABILITY and FAKE_SPIKE_MULTIPLIER; the buffer kept while the target
            is down from FAKE_BUFFER_SIZE""".formatted(DEFAULT_SEED);

    /** The transport; the flag spells it in lower case. */
    public enum Mode {
        HTTP, H2, WS;

        public String flag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The configuration's FAKE_* settings with {@code args} applied over them. */
    public static SenderOptions parse(String[] args, Config.FakeServers fake) {
        Mode mode = Mode.HTTP;
        URI target = null;
        int count = fake.count();
        int first = 1;
        long seed = DEFAULT_SEED;
        Duration duration = null;
        List<URI> shards = null;
        for (int i = 0; i < args.length; i += 2) {
            String flag = args[i];
            if (!flag.startsWith("--") || flag.equals("--help")) {
                throw new IllegalArgumentException("unexpected argument '" + flag + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[i + 1];
            switch (flag) {
                case "--mode" -> mode = mode(value);
                case "--target" -> target = target(value);
                case "--count" -> count = (int) number(flag, value, 1, 1_000_000);
                case "--first" -> first = (int) number(flag, value, 1, 1_000_000_000);
                case "--seed" -> seed = number(flag, value, Long.MIN_VALUE, Long.MAX_VALUE);
                case "--duration" -> duration = Duration.ofSeconds(number(flag, value, 1, 31_536_000));
                case "--shards" -> shards = shards(value);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (shards != null && (mode != Mode.WS || target != null)) {
            throw new IllegalArgumentException(mode != Mode.WS ? "--shards needs --mode ws"
                    : "--shards and --target both say where to send: give one");
        }
        if (shards == null) {
            // The configured shards apply to a ws run that names no single target.
            shards = mode == Mode.WS && target == null ? fake.system2Shards() : List.of();
        }
        if (target == null) {
            target = !shards.isEmpty() ? shards.get(0) : switch (mode) {
                case HTTP -> fake.httpTarget();
                case H2 -> fake.http2Target();
                case WS -> fake.wsTarget();
            };
        }
        boolean webSocket = target.getScheme().toLowerCase(Locale.ROOT).startsWith("ws");
        if (webSocket != (mode == Mode.WS)) {
            throw new IllegalArgumentException("--target " + target
                    + " does not suit --mode " + mode.flag()
                    + (mode == Mode.WS ? " (needs ws://)" : " (needs http://)"));
        }
        return new SenderOptions(mode, target, count, first, seed, duration, fake.interval(), fake.jitter(),
                fake.spikeProbability(), fake.spikeMultiplier(),
                fake.bufferSize(), shards);
    }

    private static Mode mode(String value) {
        for (Mode mode : Mode.values()) {
            if (mode.flag().equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("--mode must be http, h2 or ws, not '" + value + "'");
    }

    private static URI target(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw badTarget(value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !Set.of("http", "https", "ws", "wss").contains(scheme)) {
            throw badTarget(value);
        }
        return uri;
    }

    /** "ws://127.0.0.1:4100,ws://127.0.0.1:4101": each a ws:// URI, none twice. */
    private static List<URI> shards(String value) {
        IllegalArgumentException bad = new IllegalArgumentException(
                "--shards must be ws:// URIs with a host, separated by commas, none twice, not '"
                        + value + "'");
        List<URI> uris = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            URI uri;
            try {
                uri = target(item.strip());
            } catch (IllegalArgumentException notAUri) {
                throw bad;
            }
            if (!uri.getScheme().toLowerCase(Locale.ROOT).startsWith("ws") || uris.contains(uri)) {
                throw bad;
            }
            uris.add(uri);
        }
        return List.copyOf(uris);
    }

    private static IllegalArgumentException badTarget(String value) {
        return new IllegalArgumentException("--target must be an http:// or ws:// URI with a host, not '"
                + value + "'");
    }

    private static long number(String flag, String value, long min, long max) {
        String range = min == Long.MIN_VALUE ? "a whole number"
                : "a whole number from " + min + " to " + max;
        IllegalArgumentException bad = new IllegalArgumentException(flag + " must be " + range
                + ", not '" + value + "'");
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw bad;
        }
        if (n < min || n > max) {
            throw bad;
        }
        return n;
    }
}
