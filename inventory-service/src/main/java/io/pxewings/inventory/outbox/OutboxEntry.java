package io.pxewings.inventory.outbox;

import java.time.Instant;
import java.util.Map;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One encoded Kafka record waiting for the relay: written in the transaction of the change it reports. */
@Entity
@Table(name = "outbox")
public class OutboxEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String topic;
    @Column(name = "record_key")
    public String recordKey;
    /** CloudEvents binary-mode headers, name to value (ce_id among them, so a re-send keeps the id). */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> headers;
    /** The JSON data, or null for a tombstone. */
    public byte[] value;
    @Column(name = "event_type")
    public String eventType;
    @Column(name = "created_at")
    public Instant createdAt;
}
