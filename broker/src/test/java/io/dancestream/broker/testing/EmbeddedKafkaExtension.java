package io.dancestream.broker.testing;

import io.dancestream.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real embedded KRaft broker: {@code @ExtendWith(EmbeddedKafkaExtension.class)}
 * and a parameter of type {@link EmbeddedKafkaBroker}. One broker serves the whole test run of
 * a module (it takes seconds to start); tests isolate themselves with their own topic prefix
 * ({@link TestTopics#uniquePrefix}). The broker closes when the run ends.
 */
public final class EmbeddedKafkaExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return broker(c);
    }

    /** The run's shared broker, started on first use. */
    public static EmbeddedKafkaBroker broker(ExtensionContext c) {
        return c.getRoot().getStore(NS)
                .getOrComputeIfAbsent("broker", k -> new Resource(EmbeddedKafkaBroker.builder().start()), Resource.class)
                .broker;
    }

    private record Resource(EmbeddedKafkaBroker broker) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            broker.close();
        }
    }
}
