package io.pxewings.bmc.api;

/** Request and answer bodies of bmc-service's API. */
public final class Bodies {

    private Bodies() {
    }

    /** POST .../power: on, off, cycle, hard-reset, soft-off. */
    public record PowerRequest(String action) {
    }

    /** PUT .../boot-device. */
    public record BootDeviceRequest(String device, Boolean persistent, Boolean efi) {
    }

    /** POST .../virtual-media: insert (with url) or eject. */
    public record MediaRequest(String action, String url) {
    }

    /** PUT /api/v1/credentials/{ref}: write-only; no call returns the password or kg. */
    public record CredentialsRequest(String username, String password, String kg) {
        @Override
        public String toString() {
            return "CredentialsRequest[username=" + username + ", password=****]";
        }
    }

    /** A command taken: where to follow it. */
    public record Accepted(String commandId, String machineId, String action, String status) {
    }

    /** A machine's power and BMC as this service knows them. */
    public record PowerView(String machineId, String state, java.time.Instant readAt, String source, Bmc bmc) {
    }

    public record Bmc(String address, String protocol, String credentialsRef, String breaker, int failures, String lastError) {
    }
}
