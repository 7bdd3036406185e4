package io.pxewings.tftp;

import io.pxewings.testsupport.ServiceContractTest;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The service contract of tftp-service, against the real broker. */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class)
class TftpServiceContractTest extends ServiceContractTest {
}
