package io.pxewings.httpboot.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pxewings.httpboot.config.HttpBootConfig;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Installer templates: Qute files an operator may replace. A file {@code <name>} in
 * {@code wings.http-boot.templates-dir} wins over the built-in {@code templates/install/<name>};
 * an edited file is parsed again when its modification time changes, without a restart.
 */
@ApplicationScoped
public class InstallTemplates {

    /** The templates served: installers under /templates/, NoCloud files under /cloud-init/. */
    public static final List<String> INSTALLERS = List.of("kickstart", "preseed", "autoinstall", "esxi");
    public static final List<String> CLOUD_INIT = List.of("meta-data", "user-data", "vendor-data", "network-config");

    /** A template could not be rendered because it uses a value this machine does not have. */
    public static final class Missing extends RuntimeException {
        private final String expression;

        Missing(String expression, String template) {
            super("template '" + template + "' needs " + expression + ", which this machine does not have", null, false, false);
            this.expression = expression;
        }

        public String expression() {
            return expression;
        }
    }

    private static final Pattern EXPRESSION = Pattern.compile("expression \\{([^}]{1,200})\\}");

    @Inject
    Engine qute;

    @Inject
    HttpBootConfig config;

    private record Parsed(long modified, Template template) {
    }

    private final Map<String, Parsed> operatorTemplates = new ConcurrentHashMap<>();

    @PostConstruct
    void check() {
        for (String name : INSTALLERS) {
            qute.getTemplate("install/" + name);
        }
    }

    public String render(String name, Map<String, Object> machine) {
        Template t = template(name);
        try {
            return t.data("m", machine).render();
        } catch (TemplateException e) {
            Matcher m = EXPRESSION.matcher(String.valueOf(e.getMessage()));
            throw new Missing(m.find() ? "{" + m.group(1) + "}" : "a value", name);
        }
    }

    /** Where the template comes from, for the facts and the logs. */
    public String source(String name) {
        return operatorFile(name).isPresent() ? "operator" : "built-in";
    }

    private Template template(String name) {
        Optional<Path> file = operatorFile(name);
        if (file.isEmpty()) {
            return qute.getTemplate("install/" + name);
        }
        try {
            long modified = Files.getLastModifiedTime(file.get()).toMillis();
            Parsed p = operatorTemplates.get(name);
            if (p == null || p.modified() != modified) {
                p = new Parsed(modified, qute.parse(Files.readString(file.get())));
                operatorTemplates.put(name, p);
            }
            return p.template();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template " + file.get() + ": " + e.getMessage(), e);
        }
    }

    private Optional<Path> operatorFile(String name) {
        Path f = Path.of(config.templatesDir()).resolve(name);
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }
}
