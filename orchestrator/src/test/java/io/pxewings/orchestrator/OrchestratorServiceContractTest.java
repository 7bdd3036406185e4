package io.pxewings.orchestrator;

import java.util.List;

import io.pxewings.testsupport.ServiceContractTest;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The service contract of orchestrator, against the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class OrchestratorServiceContractTest extends ServiceContractTest {

    @Override
    protected String serviceName() {
        return "orchestrator";
    }

    @Override
    protected List<String> readinessChecks() {
        return List.of("Kafka connection health check", "Database connections health check");
    }
}
