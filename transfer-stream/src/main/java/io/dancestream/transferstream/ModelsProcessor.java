package io.dancestream.transferstream;

import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.records.BadRecordException;
import io.dancestream.common.records.RecordSerdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The global processor of dance.models: every instance sees every published generator (the
 * topic is compacted, key = model name), keeps the latest record per name in a store and offers
 * it to the registry, which loads it in the background.
 */
final class ModelsProcessor implements Processor<String, byte[], Void, Void> {

    private final String topic;
    private final GeneratorRegistry registry;
    private KeyValueStore<String, byte[]> store;
    private ProcessorContext<Void, Void> context;

    ModelsProcessor(String topic, GeneratorRegistry registry) {
        this.topic = topic;
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(TransferStreamApp.MODELS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordSource source = context.recordMetadata()
                .map(m -> new RecordSource(m.topic(), m.partition(), m.offset()))
                .orElse(RecordSource.unknown(topic));
        if (record.value() == null) {
            store.delete(record.key()); // a tombstone retires the name; the loaded model keeps serving
            return;
        }
        ModelVersion mv;
        try {
            mv = RecordSerdes.modelVersion().decode(source.topic(), source.partition(), source.offset(), record.value());
        } catch (BadRecordException e) {
            registry.reject(record.key(), record.value(), source, e);
            return;
        }
        store.put(record.key(), record.value());
        registry.offer(mv, record.key(), record.value(), source);
    }
}
