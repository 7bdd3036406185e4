package io.pxewings.httpboot.ipxe;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import io.pxewings.events.boot.BootIntent;
import io.quarkus.qute.TemplateData;
import io.pxewings.httpboot.agent.AgentTokens;
import io.pxewings.httpboot.config.HttpBootConfig;

/**
 * Decides which script a machine gets and with what values, with no I/O: from its intent (or the
 * site default) and the service's settings. The template turns the plan into iPXE.
 */
public final class ScriptPlan {

    /** Values from an intent event end up in a script: only these characters may. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");

    /**
     * Everything a template may use.
     *
     * @param template  template name under {@code templates/ipxe/}
     * @param args      kernel arguments (ramos and install)
     * @param agentUrl  the agent API base URL (ramos)
     * @param detail    why the error template was chosen
     * @param retrySeconds how long the error script waits before it asks again
     */
    @TemplateData
    public record Plan(String template, String mac, String intent, String source, String machineId, String profile,
                       String scriptUrl, String kernelUrl, String initrdUrl, String args, String agentUrl, int attempts,
                       String detail, int retrySeconds) {
    }

    private final HttpBootConfig config;
    private final AgentTokens tokens;
    private final String base;

    public ScriptPlan(HttpBootConfig config, AgentTokens tokens) {
        this.config = config;
        this.tokens = tokens;
        this.base = config.publicUrl().endsWith("/") ? config.publicUrl().substring(0, config.publicUrl().length() - 1)
                : config.publicUrl();
    }

    /**
     * @param mintRefusal why this request may not get a token (it does not come from the MAC's
     *                    leased address), or empty: a script that would carry one says so instead
     */
    public Plan plan(MachineIdentity who, Optional<BootIntent> intent, String scriptQuery, Instant now,
                     Optional<io.pxewings.httpboot.agent.Sources.Refusal> mintRefusal) {
        String name = intent.map(BootIntent::intent).orElse(config.defaultIntent());
        String source = intent.isPresent() ? "intent" : "site-default";
        String machineId = intent.map(BootIntent::machineId).filter(id -> SAFE.matcher(id).matches()).orElse(null);
        String scriptUrl = base + "/boot.ipxe?" + scriptQuery;
        String mac = who.mac();
        switch (name) {
            case "discover", "ramos" -> {
                if (mintRefusal.isPresent()) {
                    // A lease fact a moment behind the machine: ask again soon. Anyone else: no token, ever.
                    var r = mintRefusal.get();
                    return new Plan("error", mac, name, source, machineId, null, scriptUrl, null, null, null, null,
                            config.downloadAttempts(), "no agent token for this request: " + r.detail(), r.leaseUnknown() ? 3 : 60);
                }
                HttpBootConfig.RamOs r = config.ramos();
                String agentUrl = base + "/api/agent/v1";
                String token = tokens.issue(mac, AgentTokens.newBootId(), now, now.plus(config.agent().tokenTtl()));
                String args = join(r.args(), "wings.agent=" + agentUrl, "wings.token=" + token, "wings.mac=" + mac,
                        "wings.intent=" + name, "BOOTIF=01-" + mac.replace(':', '-'));
                return new Plan("ramos", mac, name, source, machineId, null, scriptUrl, file(r.kernel(), mac),
                        file(r.initrd(), mac), args, agentUrl, config.downloadAttempts(), null, 60);
            }
            case "install" -> {
                String profileName = intent.map(BootIntent::profile).orElse(null);
                if (profileName == null || !SAFE.matcher(profileName).matches()) {
                    return error(mac, name, source, machineId, scriptUrl, profileName == null
                            ? "the intent names no install profile" : "the intent's install profile name is not valid");
                }
                HttpBootConfig.Profile p = config.profiles().get(profileName);
                if (p == null) {
                    return error(mac, name, source, machineId, scriptUrl,
                            "no install profile '" + profileName + "' here (wings.http-boot.profiles)");
                }
                String args = p.args().replace("{template-url}", base + "/templates/" + mac + "/" + p.template().orElse("none"))
                        .replace("{cloud-init-url}", base + "/cloud-init/" + mac + "/")
                        .replace("{mac}", mac);
                return new Plan("install", mac, name, source, machineId, profileName, scriptUrl, file(p.kernel(), mac),
                        file(p.initrd(), mac), args, null, config.downloadAttempts(), null, 60);
            }
            default -> {
                // local, shell, none: nothing to download
                return new Plan(name, mac, name, source, machineId, null, scriptUrl, null, null, null, null,
                        config.downloadAttempts(), null, 60);
            }
        }
    }

    private Plan error(String mac, String intent, String source, String machineId, String scriptUrl, String detail) {
        return new Plan("error", mac, intent, source, machineId, null, scriptUrl, null, null, null, null,
                config.downloadAttempts(), detail, 60);
    }

    /** The file's URL carries the MAC, so the file facts name the machine without a lease lookup. */
    private String file(String path, String mac) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return base + "/files/" + p + "?mac=" + mac;
    }

    private static String join(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (!p.isBlank()) {
                if (b.length() > 0) {
                    b.append(' ');
                }
                b.append(p.strip());
            }
        }
        return b.toString();
    }
}
