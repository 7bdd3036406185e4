package io.pxewings.bmc.bmc;

import java.util.concurrent.CompletableFuture;

/**
 * What bmc-service does with a machine's BMC, whatever its protocol (IPMI or Redfish). Every
 * operation is asynchronous and fails with a {@link BmcException} that says why; none returns
 * before the BMC answered or gave up. Confirming that an action took effect (the power state
 * really changed) is the caller's: {@code commands/} reads the state back.
 */
public interface Bmc extends AutoCloseable {

    CompletableFuture<PowerState> powerState();

    CompletableFuture<Void> power(PowerAction action);

    CompletableFuture<Void> bootDevice(BootTarget target);

    /** The boot override the BMC holds now. */
    CompletableFuture<BootTarget> bootDeviceNow();

    /** Virtual media: insert an image by URL (Redfish; IPMI has none and refuses). */
    CompletableFuture<Void> insertMedia(String imageUrl);

    CompletableFuture<Void> ejectMedia();

    /** Identity and health as the BMC reports them, for the API and the breaker's probes. */
    CompletableFuture<BmcHealth> health();

    /** Logs out (IPMI Close Session, Redfish session DELETE); idempotent. */
    @Override
    void close();
}
