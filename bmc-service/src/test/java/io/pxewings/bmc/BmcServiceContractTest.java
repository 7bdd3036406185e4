package io.pxewings.bmc;

import io.pxewings.testsupport.ServiceContractTest;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The service contract of bmc-service, against the real broker. */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "database", value = "bmc"))
class BmcServiceContractTest extends ServiceContractTest {
}
