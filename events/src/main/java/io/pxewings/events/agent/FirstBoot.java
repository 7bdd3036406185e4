package io.pxewings.events.agent;

import java.util.Map;

/**
 * The installed system's first boot phoned home (cloud-init's {@code phone_home}, or anything that
 * POSTs its form fields) with the first-boot token its NoCloud seed carried.
 *
 * @param mac        the boot NIC the seed was written for
 * @param bootId     the RAM-OS boot that wrote the seed (the token's): one first boot per deploy
 * @param instanceId cloud-init's instance id
 * @param hostname   as the system reports it
 * @param fqdn       as the system reports it
 * @param address    the address the report came from
 * @param publicKeys the SSH host keys it sent ({@code rsa}, {@code ecdsa}, {@code ed25519}); a
 *                   field cloud-init sent as {@code N/A} is left out
 */
public record FirstBoot(String mac, String bootId, String instanceId, String hostname, String fqdn, String address,
                        Map<String, String> publicKeys) {
}
