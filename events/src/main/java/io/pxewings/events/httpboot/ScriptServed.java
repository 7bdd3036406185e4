package io.pxewings.events.httpboot;

/**
 * http-boot-service answered a machine's iPXE script request.
 *
 * @param mac       the boot NIC as iPXE reported it ({@code mac=${net0/mac}})
 * @param client    the requester's address
 * @param intent    the intent the script carries out: discover, ramos, local, install, shell or none
 * @param template  the script template rendered (the intent's, or {@code error} when the intent could not be carried out)
 * @param source    where the intent came from: {@code intent} (the boot intents topic) or {@code site-default}
 * @param machineId the inventory machine id from the intent, or null
 * @param profile   the install profile for {@code install}, else null
 * @param detail    why the error template was served, else null
 */
public record ScriptServed(String mac, String client, String intent, String template, String source, String machineId,
                           String profile, String detail) {
}
