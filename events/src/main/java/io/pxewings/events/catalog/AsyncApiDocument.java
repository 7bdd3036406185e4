package io.pxewings.events.catalog;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Renders the catalog as an AsyncAPI 3.0 document (https://www.asyncapi.com/docs/reference/specification/v3.0.0)
 * with Kafka bindings. Payload schemas are derived from the payload records, so the document cannot
 * drift from the code: a test compares the committed {@code docs/asyncapi.yaml} with this output.
 */
public final class AsyncApiDocument {

    private final StringBuilder out = new StringBuilder();
    private final Map<String, Class<?>> schemas = new LinkedHashMap<>();

    private AsyncApiDocument() {
    }

    public static String render(Collection<TopicSpec> topics, Collection<EventType<?>> types) {
        return new AsyncApiDocument().document(topics, types);
    }

    private String document(Collection<TopicSpec> topics, Collection<EventType<?>> types) {
        line(0, "# Generated from io.pxewings.events.EventCatalog by AsyncApiDocumentTest; do not edit by hand.");
        line(0, "asyncapi: 3.0.0");
        line(0, "info:");
        line(1, "title: PXE Wings events");
        line(1, "version: 1.0.0");
        line(1, "description: " + q("Boot-lifecycle events of PXE Wings: CloudEvents 1.0 in Kafka binary mode "
                + "(ce_* headers), JSON data, trace context in the W3C traceparent header."));
        line(0, "defaultContentType: application/json");
        line(0, "servers:");
        line(1, "local:");
        line(2, "host: 127.0.0.1:19092");
        line(2, "protocol: kafka");
        line(2, "description: " + q("The embedded single-node broker started by ./wings up."));
        channels(topics, types);
        operations(types);
        components(types);
        return out.toString();
    }

    private void channels(Collection<TopicSpec> topics, Collection<EventType<?>> types) {
        line(0, "channels:");
        for (TopicSpec topic : topics) {
            line(1, topic.name() + ":");
            line(2, "address: " + topic.name());
            line(2, "description: " + q(topic.description() + " Key: " + topic.key() + "."));
            List<EventType<?>> on = types.stream().filter(t -> t.topic().equals(topic)).toList();
            if (!on.isEmpty()) {
                line(2, "messages:");
                for (EventType<?> t : on) {
                    line(3, t.type() + ":");
                    line(4, "$ref: " + q("#/components/messages/" + t.type()));
                }
            }
            line(2, "bindings:");
            line(3, "kafka:");
            line(4, "topic: " + topic.name());
            line(4, "partitions: " + topic.partitions());
            line(4, "replicas: 1");
            line(4, "topicConfiguration:");
            line(5, "cleanup.policy:");
            line(6, "- " + (topic.compacted() ? "compact" : "delete"));
            line(5, "retention.ms: " + (topic.retention() == null ? -1 : topic.retention().toMillis()));
            line(4, "bindingVersion: 0.5.0");
        }
    }

    private void operations(Collection<EventType<?>> types) {
        line(0, "operations:");
        for (EventType<?> t : types) {
            line(1, "send." + t.type() + ":");
            line(2, "action: send");
            line(2, "channel:");
            line(3, "$ref: " + q("#/channels/" + t.topic().name()));
            line(2, "messages:");
            line(3, "- $ref: " + q("#/channels/" + t.topic().name() + "/messages/" + t.type()));
        }
    }

    private void components(Collection<EventType<?>> types) {
        line(0, "components:");
        line(1, "messages:");
        for (EventType<?> t : types) {
            line(2, t.type() + ":");
            line(3, "name: " + t.type());
            line(3, "summary: " + q(t.description()));
            line(3, "contentType: application/json");
            line(3, "headers:");
            line(4, "$ref: " + q("#/components/schemas/CloudEventHeaders"));
            line(3, "payload:");
            line(4, "$ref: " + q("#/components/schemas/" + schemaName(t.payload())));
            line(3, "bindings:");
            line(4, "kafka:");
            line(5, "key:");
            line(6, "type: string");
            line(6, "description: " + q(t.subject()));
            line(5, "bindingVersion: 0.5.0");
        }
        line(1, "schemas:");
        headerSchema();
        List<Class<?>> done = new ArrayList<>();
        while (done.size() < schemas.size()) {
            for (Class<?> c : List.copyOf(schemas.values())) {
                if (!done.contains(c)) {
                    done.add(c);
                    recordSchema(c);
                }
            }
        }
    }

    private void headerSchema() {
        line(2, "CloudEventHeaders:");
        line(3, "type: object");
        line(3, "required: [ce_specversion, ce_id, ce_source, ce_type, ce_time, ce_site, content-type]");
        line(3, "properties:");
        header("ce_specversion", "Always 1.0.");
        header("ce_id", "Unique event id; consumers dedupe on it.");
        header("ce_source", "/sites/<site>/<service>/<instance>");
        header("ce_type", "io.pxewings.<domain>.<fact>.v<N>");
        header("ce_subject", "The machine key (boot MAC, lower-case colon form, or machine id).");
        header("ce_time", "RFC 3339 time of the fact.");
        header("ce_site", "The site the fact belongs to (CloudEvents extension attribute).");
        header("content-type", "application/json");
        header("traceparent", "W3C trace context of the work that produced the event.");
    }

    private void header(String name, String description) {
        line(4, name + ":");
        line(5, "type: string");
        line(5, "description: " + q(description));
    }

    private void recordSchema(Class<?> type) {
        line(2, schemaName(type) + ":");
        line(3, "type: object");
        RecordComponent[] components = type.getRecordComponents();
        List<String> required = new ArrayList<>();
        for (RecordComponent c : components) {
            if (c.getType().isPrimitive()) {
                required.add(c.getName());
            }
        }
        if (!required.isEmpty()) {
            line(3, "required: [" + String.join(", ", required) + "]");
        }
        line(3, "properties:");
        for (RecordComponent c : components) {
            line(4, c.getName() + ":");
            typeOf(c.getGenericType(), 5);
        }
    }

    private void typeOf(Type type, int indent) {
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            if (List.class.isAssignableFrom(raw) || java.util.Set.class.isAssignableFrom(raw)) {
                line(indent, "type: array");
                line(indent, "items:");
                typeOf(p.getActualTypeArguments()[0], indent + 1);
                return;
            }
            if (Map.class.isAssignableFrom(raw)) {
                line(indent, "type: object");
                line(indent, "additionalProperties:");
                typeOf(p.getActualTypeArguments()[1], indent + 1);
                return;
            }
        }
        Class<?> c = (Class<?>) (type instanceof ParameterizedType p ? p.getRawType() : type);
        if (c == String.class) {
            line(indent, "type: string");
        } else if (c == UUID.class) {
            line(indent, "type: string");
            line(indent, "format: uuid");
        } else if (c == Instant.class) {
            line(indent, "type: string");
            line(indent, "format: date-time");
        } else if (c == int.class || c == Integer.class || c == short.class || c == Short.class) {
            line(indent, "type: integer");
            line(indent, "format: int32");
        } else if (c == long.class || c == Long.class) {
            line(indent, "type: integer");
            line(indent, "format: int64");
        } else if (c == boolean.class || c == Boolean.class) {
            line(indent, "type: boolean");
        } else if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            line(indent, "type: number");
        } else if (c.isEnum()) {
            line(indent, "type: string");
            List<String> names = new ArrayList<>();
            for (Object constant : c.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            line(indent, "enum: [" + String.join(", ", names) + "]");
        } else if (c.isRecord()) {
            line(indent, "$ref: " + q("#/components/schemas/" + schemaName(c)));
        } else {
            throw new IllegalArgumentException("no JSON schema mapping for " + c.getName()
                    + ": use a record, an enum, a list, a map or a simple value");
        }
    }

    private String schemaName(Class<?> type) {
        String name = type.getSimpleName();
        Class<?> known = schemas.putIfAbsent(name, type);
        if (known != null && known != type) {
            throw new IllegalArgumentException("two payload types share the name " + name);
        }
        return name;
    }

    private void line(int indent, String text) {
        out.append("  ".repeat(indent)).append(text).append('\n');
    }

    private static String q(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
