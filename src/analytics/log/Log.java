package analytics.log;

import com.eclipsesource.json.JsonObject;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Locale;

/**
 * A structured logger: every call writes one JSON object on one line of stdout.
 *
 * Pattern: structured logging (JSON lines) - machines grep fields, people read messages.
 * Lesson:  lessons/02-configuration-and-logging.md
 * Not here: files, rotation, async appenders; a real service ships stdout to a collector.
 * Threads: safe; each line is built first and printed with one println.
 *
 * Usage: in WebSocketServer, {@code Log.get(WebSocketServer.class)} gives a logger named
 * after the class, and {@code LOG.info("websocket server listening", "port", 4100)} prints
 * {@code {"time":"...","level":"info","logger":"WebSocketServer",
 * "message":"websocket server listening","port":4100}} (one line; split here to fit).
 * Fields come as name/value pairs, like pino's merge object in the original project.
 */
public final class Log {

    /** Severity, lowest first; LOG_LEVEL names one and everything below it is dropped. */
    public enum Level {
        DEBUG, INFO, WARN, ERROR;

        /** The LOG_LEVEL spelling: "debug", "info", "warn", "error". */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a LOG_LEVEL value; null when it names no level. */
        public static Level parse(String text) {
            for (Level level : values()) {
                if (level.label().equalsIgnoreCase(text.strip())) {
                    return level;
                }
            }
            return null;
        }
    }

    private static volatile Level threshold = initialThreshold();
    private static volatile PrintStream sink = System.out;

    private final String name;

    private Log(String name) {
        this.name = name;
    }

    public static Log get(Class<?> owner) {
        return new Log(owner.getSimpleName());
    }

    public static Log get(String name) {
        return new Log(name);
    }

    /** Set once at start from Config; programs call it before they log anything else. */
    public static void setThreshold(Level level) {
        threshold = level;
    }

    public static Level threshold() {
        return threshold;
    }

    /** Tests point the sink at a buffer to read what was logged. */
    public static PrintStream redirect(PrintStream newSink) {
        PrintStream old = sink;
        sink = newSink;
        return old;
    }

    public String name() {
        return name;
    }

    public boolean isEnabled(Level level) {
        return level.compareTo(threshold) >= 0;
    }

    public void debug(String message, Object... fields) {
        log(Level.DEBUG, message, null, fields);
    }

    public void info(String message, Object... fields) {
        log(Level.INFO, message, null, fields);
    }

    public void warn(String message, Object... fields) {
        log(Level.WARN, message, null, fields);
    }

    public void error(String message, Throwable error, Object... fields) {
        log(Level.ERROR, message, error, fields);
    }

    public void log(Level level, String message, Throwable error, Object... fields) {
        if (!isEnabled(level)) {
            return;
        }
        sink.println(format(level, message, error, fields));
    }

    String format(Level level, String message, Throwable error, Object... fields) {
        JsonObject line = new JsonObject()
                .add("time", Instant.now().toString())
                .add("level", level.label())
                .add("logger", name)
                .add("message", String.valueOf(message));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            addField(line, String.valueOf(fields[i]), fields[i + 1]);
        }
        if (fields.length % 2 != 0) {
            // A programming slip, not a reason to lose the line: keep the stray value visible.
            addField(line, "unpairedField", fields[fields.length - 1]);
        }
        if (error != null) {
            line.add("error", error.getClass().getName() + ": " + error.getMessage());
            if (threshold == Level.DEBUG) {
                StringWriter trace = new StringWriter();
                error.printStackTrace(new PrintWriter(trace));
                line.add("stack", trace.toString());
            }
        }
        return line.toString();
    }

    private static void addField(JsonObject line, String key, Object value) {
        switch (value) {
            case null -> line.add(key, (String) null);
            case Integer n -> line.add(key, n.intValue());
            case Long n -> line.add(key, n.longValue());
            case Double n when Double.isFinite(n) -> line.add(key, n.doubleValue());
            case Boolean b -> line.add(key, b.booleanValue());
            default -> line.add(key, value.toString());
        }
    }

    /** Before Config is loaded, honour a valid LOG_LEVEL anyway; Config rejects a bad one. */
    private static Level initialThreshold() {
        String fromEnv = System.getenv("LOG_LEVEL");
        Level parsed = fromEnv == null ? null : Level.parse(fromEnv);
        return parsed == null ? Level.INFO : parsed;
    }
}
