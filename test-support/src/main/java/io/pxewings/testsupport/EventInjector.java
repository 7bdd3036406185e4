package io.pxewings.testsupport;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.pxewings.events.codec.CloudEventCodec;
import io.pxewings.events.codec.EncodedEvent;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.codec.WingsEvent;

/** Publishes events (or deliberately broken records) to the real broker, as another service would. */
public final class EventInjector implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    public EventInjector(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public void send(WingsEvent<?> event) {
        EncodedEvent e = CloudEventCodec.encode(event);
        sendRaw(e.topic(), e.key(), e.headers(), e.value());
    }

    /** Any record at all, e.g. a poison one a consumer must dead-letter. */
    public void sendRaw(String topic, String key, List<EventHeader> headers, byte[] value) {
        RecordHeaders h = new RecordHeaders();
        headers.forEach(x -> h.add(x.name(), x.valueBytes()));
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, h)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not publish to " + topic + ": " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
