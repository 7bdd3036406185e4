package io.pxewings.httpboot;

import io.pxewings.testsupport.ServiceContractTest;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The service contract of http-boot-service, against the real broker. */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class)
class HttpBootServiceContractTest extends ServiceContractTest {
}
