package io.pxewings.orchestrator.definitions;

import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pxewings.orchestrator.runs.RunRefused;
import io.pxewings.orchestrator.workflow.DataWorkflow;
import io.pxewings.orchestrator.workflow.Workflow;
import io.pxewings.orchestrator.workflow.WorkflowDefinition;
import io.pxewings.orchestrator.workflow.WorkflowDefinition.Step;
import io.pxewings.orchestrator.workflow.WorkflowYaml;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Workflows as data: list the built-ins and the stored ones, read one (a stored one with its YAML),
 * its versions, and store a new version from YAML. A stored version is never changed or deleted:
 * runs name the version they started with.
 */
@Path("/api/v1/workflows")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class WorkflowResource {

    /** Big enough for fifty stages with comments; a workflow is not a place for data. */
    static final int MAX_BYTES = 64 * 1024;

    @Inject
    WorkflowStore store;

    @Inject
    WorkflowCatalog catalog;

    /** A stage as the engine runs it. */
    public record StageView(String name, String intent, List<WorkflowDefinition.BmcStep> bmc, String task, Map<String, String> params,
                            List<WorkflowDefinition.Case> choose, String completesOn, String timeout, Integer tries, String onFailure) {
    }

    /** A workflow: {@code ref} is what a run names ({@code name@version} for a stored one). */
    public record WorkflowView(String name, Integer version, String ref, boolean builtIn, String description, boolean needsImage,
                               String running, String done, List<String> startsFrom, List<StageView> stages, String sha256,
                               String createdBy, Instant createdAt, String source) {
    }

    public record VersionView(String name, int version, String ref, String sha256, String description, String createdBy, Instant createdAt) {
    }

    @GET
    public Map<String, Object> list() throws SQLException {
        List<WorkflowView> out = new ArrayList<>();
        for (DataWorkflow w : catalog.builtIns().values()) {
            out.add(stored(shipped(w), false));
        }
        for (WorkflowStore.Stored s : store.newestOfEach()) {
            if (!BuiltInWorkflows.NAMES.contains(s.name())) {
                out.add(stored(s, false));
            }
        }
        return Map.of("workflows", out);
    }

    /** The newest version of {@code name}, or {@code ?version=N}; a built-in by its name. */
    @GET
    @Path("/{name}")
    public WorkflowView get(@PathParam("name") String name, @QueryParam("version") Integer version) throws SQLException {
        DataWorkflow b = catalog.builtIns().get(name);
        if (b != null && version == null) {
            return stored(shipped(b), true);
        }
        WorkflowStore.Stored s = (version == null ? store.newest(name) : store.get(name, version))
                .orElseThrow(() -> new RunRefused(404, "no workflow " + name + (version == null ? "" : " version " + version)));
        return stored(s, true);
    }

    @GET
    @Path("/{name}/versions")
    public Map<String, Object> versions(@PathParam("name") String name) throws SQLException {
        List<VersionView> out = store.versions(name).stream().map(s -> new VersionView(s.name(), s.version(), s.name() + "@" + s.version(),
                s.sha256(), s.description(), s.createdBy(), s.createdAt())).toList();
        if (out.isEmpty()) {
            throw new RunRefused(404, "no workflow " + name);
        }
        return Map.of("versions", out);
    }

    /**
     * Stores a workflow from its YAML as the next version of its name: 201 and its location; 200 with
     * the newest version when that has the same bytes; 400 with every problem when it is not valid.
     */
    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    public Response upload(String source, @QueryParam("by") String by) throws SQLException {
        if (source == null || source.isBlank()) {
            throw new RunRefused(400, "the body is the workflow's YAML");
        }
        if (source.length() > MAX_BYTES) {
            throw new RunRefused(413, "a workflow is at most " + MAX_BYTES + " bytes of YAML");
        }
        WorkflowDefinition def = WorkflowYaml.read(source);
        WorkflowStore.Saved saved = store.save(def.name(), source, def.description(), by);
        WorkflowView view = stored(saved.stored(), true);
        URI at = URI.create("/api/v1/workflows/" + def.name() + "?version=" + saved.stored().version());
        return (saved.created() ? Response.created(at) : Response.ok().location(at)).entity(view).build();
    }

    private WorkflowView stored(WorkflowStore.Stored s, boolean withSource) {
        DataWorkflow w = catalog.of(s);
        WorkflowDefinition d = w.definition();
        List<StageView> stages = d.stages().stream().map(st -> new StageView(st.name(), st.intent(), st.bmc(), st.task(),
                st.params().isEmpty() ? null : st.params(), st.cases().isEmpty() ? null : st.cases(), st.completesOn(), timeout(st), st.tries() == 0 ? null : st.tries(),
                st.onFailure())).toList();
        return new WorkflowView(d.name(), s.version(), w.name(), BuiltInWorkflows.NAMES.contains(d.name()), d.description(), d.image(), d.running(), d.done(),
                List.copyOf(new java.util.TreeSet<>(d.startsFrom())), stages, s.sha256(), s.createdBy(), s.createdAt(),
                withSource ? s.source() : null);
    }

    private static String timeout(Step st) {
        return st.timeout() == null ? null : st.timeout().toString();
    }

    /** The stored version of a built-in this instance ships (stored at start). */
    private WorkflowStore.Stored shipped(DataWorkflow w) throws SQLException {
        return store.get(w.definition().name(), w.version())
                .orElseThrow(() -> new IllegalStateException("built-in " + w.name() + " is not stored"));
    }
}
