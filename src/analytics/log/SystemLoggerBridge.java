package analytics.log;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * Routes the JDK's System.Logger - and through slf4j's System.Logger binding, Jedis's
 * slf4j calls - into our JSON lines, so a program's whole output has one format.
 *
 * Pattern: adapter, found by the ServiceLoader (META-INF/services/java.lang.System$LoggerFinder).
 * Lesson:  lessons/02-configuration-and-logging.md
 * Not here: per-logger levels; LOG_LEVEL applies to every logger alike.
 * Threads: safe; it holds no state but the logger's name.
 */
public final class SystemLoggerBridge extends System.LoggerFinder {

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new Adapter(Log.get(name));
    }

    private record Adapter(Log log) implements System.Logger {

        @Override
        public String getName() {
            return log.name();
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && log.isEnabled(toOurs(level));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (isLoggable(level)) {
                log.log(toOurs(level), message, thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String message = params == null || params.length == 0
                        ? format
                        : MessageFormat.format(format, params);
                log.log(toOurs(level), message, null);
            }
        }

        private static Log.Level toOurs(Level level) {
            return switch (level) {
                case ALL, TRACE, DEBUG -> Log.Level.DEBUG;
                case INFO -> Log.Level.INFO;
                case WARNING -> Log.Level.WARN;
                case ERROR, OFF -> Log.Level.ERROR;
            };
        }
    }
}
