package analytics.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test method a {@link RedisProcess} parameter. One server serves the whole test
 * run (started on first use, stopped when the run ends), so tests keep their keys apart.
 *
 * Pattern: JUnit 5 extension with a run-wide resource in the root store.
 * Lesson:  lessons/01-build-and-test.md
 */
public final class RedisExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        // JUnit closes AutoCloseable values of the root store when the run ends.
        return store.getOrComputeIfAbsent(RedisProcess.class, key -> RedisProcess.fromEnvironmentOrStart(),
                RedisProcess.class);
    }
}
