package io.pxewings.events.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.pxewings.events.EventCatalog;

/**
 * The docs are the contract integrations read: they must list every topic and type that exists in
 * code. {@code docs/asyncapi.yaml} is generated; run the build with {@code -Dwings.docs.write=true}
 * to rewrite it after changing the catalog.
 */
class CatalogDocsTest {

    static final Path ROOT = repositoryRoot();
    static final Pattern TYPE_LITERAL = Pattern.compile("\"(io\\.pxewings\\.[a-z0-9.-]+\\.v[0-9]+)\"");

    @Test
    void asyncApiDocumentMatchesTheCatalog() throws IOException {
        String generated = AsyncApiDocument.render(EventCatalog.topics(), EventCatalog.types());
        Path committed = ROOT.resolve("docs/asyncapi.yaml");
        if (Boolean.getBoolean("wings.docs.write")) {
            Files.writeString(committed, generated);
        }
        assertThat(committed).as("docs/asyncapi.yaml (regenerate: ./mvnw -pl events test -Dwings.docs.write=true)")
                .exists();
        assertThat(Files.readString(committed)).as("docs/asyncapi.yaml is stale; regenerate: "
                + "./mvnw -pl events test -Dwings.docs.write=true").isEqualTo(generated);
    }

    @Test
    void eventsMarkdownListsEveryTopicTypeAndPayloadField() throws IOException {
        String md = Files.readString(ROOT.resolve("docs/events.md"));
        for (TopicSpec topic : EventCatalog.topics()) {
            assertThat(md).as("docs/events.md lists topic " + topic.name()).contains("`" + topic.name() + "`");
        }
        for (EventType<?> type : EventCatalog.types()) {
            assertThat(md).as("docs/events.md lists type " + type.type()).contains("`" + type.type() + "`");
            for (var component : type.payload().getRecordComponents()) {
                assertThat(md).as("docs/events.md names field " + component.getName() + " of " + type.type())
                        .contains("`" + component.getName() + "`");
            }
        }
    }

    @Test
    void everyTypeNamedInTheCodeIsInTheCatalog() throws IOException {
        Set<String> catalog = new TreeSet<>();
        EventCatalog.types().forEach(t -> catalog.add(t.type()));
        Set<String> inCode = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : (Iterable<Path>) files.filter(CatalogDocsTest::isSource)::iterator) {
                Matcher m = TYPE_LITERAL.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    inCode.add(m.group(1));
                }
            }
        }
        assertThat(inCode).as("event types in code (main and test sources)").isNotEmpty();
        assertThat(catalog).as("EventCatalog holds every event type named in code").containsAll(inCode);
    }

    private static boolean isSource(Path p) {
        String s = p.toString();
        return s.endsWith(".java") && !s.contains("/target/") && !s.contains("/.wings/") && !s.contains("/.git/");
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("wings"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("repository root (with ./wings) not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
