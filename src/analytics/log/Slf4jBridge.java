package analytics.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Jedis logs through the slf4j API; this provider makes those calls JSON lines of ours
 * instead of slf4j's "no providers" warning and silence.
 *
 * Pattern: adapter, found by the ServiceLoader (META-INF/services/org.slf4j.spi.SLF4JServiceProvider).
 * Lesson:  lessons/02-configuration-and-logging.md
 * Not here: markers and MDC (Jedis uses neither); they are accepted and ignored.
 * Threads: safe; loggers hold only their name.
 */
public final class Slf4jBridge implements SLF4JServiceProvider {

    private final ILoggerFactory loggers = name -> new Adapter(Log.get(name));
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99"; // the slf4j 2.0 API, as its own providers declare it
    }

    @Override
    public void initialize() {
        // nothing to set up: Log is ready from class load
    }

    /** One slf4j Logger; LegacyAbstractLogger folds the 60 slf4j methods into one call. */
    private static final class Adapter extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        private final transient Log log;

        Adapter(Log log) {
            this.log = log;
            this.name = log.name();
        }

        @Override
        public boolean isTraceEnabled() {
            return log.isEnabled(Log.Level.DEBUG);
        }

        @Override
        public boolean isDebugEnabled() {
            return log.isEnabled(Log.Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return log.isEnabled(Log.Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return log.isEnabled(Log.Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return log.isEnabled(Log.Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
                                                   Object[] arguments, Throwable thrown) {
            Log.Level ours = switch (level) {
                case TRACE, DEBUG -> Log.Level.DEBUG;
                case INFO -> Log.Level.INFO;
                case WARN -> Log.Level.WARN;
                case ERROR -> Log.Level.ERROR;
            };
            log.log(ours, MessageFormatter.basicArrayFormat(pattern, arguments), thrown);
        }
    }
}
