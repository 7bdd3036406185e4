package io.pxewings.orchestrator.definitions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.pxewings.orchestrator.workflow.WorkflowYaml;

/**
 * The built-in workflows as this build ships them: YAML documents on the class path under
 * {@code workflows/}, in the same language as operators' ({@code WorkflowYaml}), so nothing a
 * built-in does is hidden in code.
 */
public final class BuiltInWorkflows {

    /** In the order lists show them. */
    public static final List<String> NAMES = WorkflowYaml.BUILT_IN_NAMES;

    private BuiltInWorkflows() {
    }

    /** The document of built-in {@code name}, as shipped. */
    public static String source(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no built-in workflow " + name);
        }
        try (InputStream in = BuiltInWorkflows.class.getResourceAsStream("/workflows/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("workflows/" + name + ".yaml is missing from the orchestrator's class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
