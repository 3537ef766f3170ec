package analytics.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed values from a map of variables, each with its default, and turns a bad
 * value into a ConfigException that names the variable, the rule and what it got.
 *
 * Pattern: parse, don't validate - strings become ports, durations and URIs once, here.
 * Lesson:  lessons/02-configuration-and-logging.md
 * Threads: not shared; used once while Config is built.
 */
final class EnvReader {

    private final Map<String, String> variables;
    /** Every variable asked for, with the text in effect: what {@code make config} prints. */
    private final Map<String, String> effective = new LinkedHashMap<>();

    EnvReader(Map<String, String> variables) {
        this.variables = variables;
    }

    Map<String, String> effective() {
        return Collections.unmodifiableMap(effective);
    }

    /** The raw value, or the default when the variable is unset or blank. */
    String string(String name, String defaultValue) {
        String value = variables.get(name);
        String result = value == null || value.isBlank() ? defaultValue : value.strip();
        effective.put(name, result);
        return result;
    }

    /** A TCP port; 0 asks the operating system for a free one (tests use it). */
    int port(String name, int defaultValue) {
        return integer(name, defaultValue, 0, 65_535, "a port number from 0 to 65535");
    }

    int positiveInt(String name, int defaultValue) {
        return integer(name, defaultValue, 1, Integer.MAX_VALUE, "a whole number of at least 1");
    }

    int integer(String name, int defaultValue, int min, int max, String rule) {
        long value = longValue(name, defaultValue, min, max, rule);
        return (int) value;
    }

    long longValue(String name, long defaultValue, long min, long max, String rule) {
        String text = string(name, String.valueOf(defaultValue));
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notAWholeNumber) {
            // falls through to the one error below: the user needs the rule, not the parser's words
        }
        throw bad(name, rule, text);
    }

    double decimal(String name, double defaultValue, double min, double max, String rule) {
        String text = string(name, String.valueOf(defaultValue));
        try {
            double value = Double.parseDouble(text);
            if (value >= min && value <= max) { // false for NaN too
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // falls through
        }
        throw bad(name, rule, text);
    }

    boolean bool(String name, boolean defaultValue) {
        String text = string(name, String.valueOf(defaultValue)).toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw bad(name, "true or false", text);
        };
    }

    /** An absolute URI whose scheme is one of {@code schemes}, e.g. http/https. */
    URI uri(String name, String defaultValue, Set<String> schemes) {
        String text = string(name, defaultValue);
        URI uri = parsed(text, schemes);
        if (uri == null) {
            throw bad(name, "a URL starting with " + String.join(":// or ", schemes.stream().sorted().toList())
                    + "://", text);
        }
        return uri;
    }

    /**
     * A comma-separated list of absolute URIs, each with one of {@code schemes}, none twice;
     * blank: the empty list. The order is kept: for shards it is the shard's number.
     */
    List<URI> uriList(String name, Set<String> schemes) {
        String text = string(name, "");
        if (text.isEmpty()) {
            return List.of();
        }
        String rule = "a comma-separated list of URLs starting with "
                + String.join(":// or ", schemes.stream().sorted().toList()) + "://, none twice";
        List<URI> uris = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            URI uri = parsed(item.strip(), schemes);
            if (uri == null || uris.contains(uri)) {
                throw bad(name, rule, text);
            }
            uris.add(uri);
        }
        return List.copyOf(uris);
    }

    /**
     * {@code redis://[user:password@]host[:port][/db]}, as Redis' own clients write it, with
     * port 6379 and database 0 when left out; blank: null (not used). A bad value is echoed
     * with its password masked.
     */
    Config.Redis redisUrl(String name) {
        String text = string(name, "");
        if (text.isEmpty()) {
            return null;
        }
        URI uri = parsed(text, Set.of("redis"));
        String path = uri == null || uri.getPath() == null ? "" : uri.getPath();
        String userInfo = uri == null ? null : uri.getRawUserInfo();
        int colon = userInfo == null ? -1 : userInfo.indexOf(':');
        if (uri == null || !path.matches("/?|/([0-9]|1[0-5])") || (userInfo != null && colon < 0)
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw bad(name, "a URL redis://[user:password@]host[:port][/db] with a db from 0 to 15",
                    withoutPassword(text));
        }
        int db = path.length() > 1 ? Integer.parseInt(path.substring(1)) : 0;
        String user = colon < 0 ? "" : decoded(userInfo.substring(0, colon));
        String password = colon < 0 ? "" : decoded(userInfo.substring(colon + 1));
        return new Config.Redis(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), db, user, password);
    }

    /** "redis://user:********@host": what a log line or {@code make config} may show. */
    static String withoutPassword(String url) {
        return url.replaceFirst("^(\\w+://[^:@/]*):[^@/]*@", "$1:********@");
    }

    private static String decoded(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URI when it is absolute, has a host and one of {@code schemes}; else null. */
    private static URI parsed(String text, Set<String> schemes) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() != null && schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException notAUri) {
            // falls through: the caller states the rule
        }
        return null;
    }

    /** A comma-separated list; blanks between commas are dropped. */
    List<String> list(String name) {
        return Arrays.stream(string(name, "").split(","))
                .map(String::strip)
                .filter(item -> !item.isEmpty())
                .toList();
    }

    /** A comma-separated list of whole numbers, each from min to max; blank: the default. */
    List<Integer> intList(String name, String defaultValue, int min, int max, String rule) {
        String text = string(name, defaultValue);
        List<String> items = Arrays.stream(text.split(",")).map(String::strip).toList();
        try {
            List<Integer> values = items.stream().map(Integer::parseInt).toList();
            if (values.stream().allMatch(v -> v >= min && v <= max)) {
                return values;
            }
        } catch (NumberFormatException notAWholeNumber) {
            // falls through to the one error below
        }
        throw bad(name, rule, text);
    }

    /** A comma-separated list of names, each one of {@code allowed}, without repeats. */
    List<String> choices(String name, List<String> allowed) {
        String text = string(name, String.join(",", allowed));
        List<String> items = Arrays.stream(text.split(",")).map(String::strip).toList();
        if (items.stream().allMatch(allowed::contains) && items.stream().distinct().count() == items.size()) {
            return items;
        }
        throw bad(name, "a comma-separated list of " + String.join(", ", allowed), text);
    }

    static ConfigException bad(String name, String rule, String got) {
        String shown = got.length() > 60 ? got.substring(0, 60) + "..." : got;
        return new ConfigException(name + " must be " + rule + ", got \"" + shown + "\"");
    }
}
