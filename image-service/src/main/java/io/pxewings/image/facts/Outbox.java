package io.pxewings.image.facts;

import java.sql.Connection;
import java.sql.SQLException;

import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.common.outbox.OutboxRows;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.codec.Traceparent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The catalog's facts, written in the catalog's own transaction ({@link OutboxRows}); {@link OutboxRelay} publishes them. */
@ApplicationScoped
public class Outbox {

    @Inject
    ServiceIdentity identity;

    /** Adds the fact to {@code conn}'s transaction. */
    public <T extends Record> void add(Connection conn, EventType<T> type, String key, T data, Traceparent trace) throws SQLException {
        OutboxRows.add(conn, identity, type, key, data, trace);
    }
}
