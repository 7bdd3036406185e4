package io.pxewings.inventory;

import io.pxewings.testsupport.ServiceContractTest;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The service contract of inventory-service, against the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class InventoryServiceContractTest extends ServiceContractTest {
}
