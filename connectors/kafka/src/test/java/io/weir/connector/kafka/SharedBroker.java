package io.weir.connector.kafka;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the broker that test classes share before the first of them and closes it when the test run
 * ends: it lives in the root context's store, which JUnit closes before the JVM exits. (A JVM shutdown
 * hook stopping it could outlast the time surefire gives a finished test JVM to exit, failing the build.)
 */
final class SharedBroker implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(SharedBroker.class, key -> {
            try {
                return TestBroker.startShared();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test Kafka broker", e);
            }
        }, TestBroker.class);
    }
}
