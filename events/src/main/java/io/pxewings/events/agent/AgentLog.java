package io.pxewings.events.agent;

import java.util.List;

/**
 * Lines an agent logged (it also prints them on the console), posted in batches.
 *
 * @param mac   the boot NIC
 * @param level {@code debug}, {@code info}, {@code warn} or {@code error}
 * @param lines the lines, oldest first
 */
public record AgentLog(String mac, String level, List<String> lines) {
}
