package io.pxewings.console;

import io.pxewings.testsupport.ServiceContractTest;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The service contract of the console, against the real broker. */
@QuarkusTest
@QuarkusTestResource(WingsInfraResource.class)
class ConsoleServiceContractTest extends ServiceContractTest {
}
