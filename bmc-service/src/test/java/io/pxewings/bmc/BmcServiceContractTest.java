package io.pxewings.bmc;

import java.util.List;

import io.pxewings.testsupport.ServiceContractTest;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The service contract of bmc-service, against the real broker. */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class)
class BmcServiceContractTest extends ServiceContractTest {

    @Override
    protected String serviceName() {
        return "bmc-service";
    }

    @Override
    protected List<String> readinessChecks() {
        return List.of("Kafka connection health check");
    }
}
