package io.pxewings.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Every command's {@code --json}: tables for people, the API's JSON (one document per line) for scripts. */
public class Output {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--json", description = "print the API's JSON (one document per line) instead of a table")
    boolean json;

    public boolean json() {
        return json;
    }

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    public void print(JsonNode node) {
        out().println(node.toString());
        out().flush();
    }

    public void print(Table table) {
        out().print(table.render());
        out().flush();
    }

    public void line(String text) {
        out().println(text);
        out().flush();
    }
}
