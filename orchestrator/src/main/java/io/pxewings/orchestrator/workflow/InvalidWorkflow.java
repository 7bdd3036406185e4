package io.pxewings.orchestrator.workflow;

import java.util.List;

/** A workflow document that cannot be run, with every problem found in it (not only the first). */
public final class InvalidWorkflow extends RuntimeException {

    private final List<String> problems;

    public InvalidWorkflow(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
