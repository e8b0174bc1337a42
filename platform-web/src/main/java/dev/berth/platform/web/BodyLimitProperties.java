package dev.berth.platform.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code berth.bodies.*}: the largest request body each area accepts, and how many body bytes all
 * requests together may be reading at once. Agents' log chunks keep their own limit,
 * {@code berth.logs.max-body-bytes}. Git pushes are not capped here: JGit streams packs to disk
 * under {@code berth.git.max-pack-bytes}.
 *
 * @param apiMaxBytes {@code /api/**} JSON bodies (default 1 MiB)
 * @param webhookMaxBytes forges' webhook payloads (default 1 MiB)
 * @param agentMaxBytes agents' registrations and heartbeats with their reports (default 1 MiB)
 * @param dashboardMaxBytes everything else: the dashboard's requests and its login form (default 1 MiB)
 * @param inFlightBytes body bytes all requests together may hold while being read (default 64 MiB,
 *                      at most a quarter of the heap); a request that would go over waits, then gets 503
 * @param inFlightWait how long a read waits for room in that budget (default 5 s)
 */
@ConfigurationProperties("berth.bodies")
public record BodyLimitProperties(Long apiMaxBytes, Long webhookMaxBytes, Long agentMaxBytes, Long dashboardMaxBytes,
                                  Long inFlightBytes, Duration inFlightWait) {
    private static final long MIB = 1L << 20;

    public BodyLimitProperties {
        if (apiMaxBytes == null) apiMaxBytes = MIB;
        if (webhookMaxBytes == null) webhookMaxBytes = MIB;
        if (agentMaxBytes == null) agentMaxBytes = MIB;
        if (dashboardMaxBytes == null) dashboardMaxBytes = MIB;
        if (inFlightBytes == null) inFlightBytes = Math.min(64 * MIB, Runtime.getRuntime().maxMemory() / 4);
        if (inFlightWait == null) inFlightWait = Duration.ofSeconds(5);
        for (long limit : new long[] {apiMaxBytes, webhookMaxBytes, agentMaxBytes, dashboardMaxBytes}) {
            if (limit < 1024 || limit > Integer.MAX_VALUE - 1) {
                throw new IllegalArgumentException("berth.bodies.*-max-bytes must be between 1024 and " + (Integer.MAX_VALUE - 1)
                        + "; got " + limit);
            }
        }
        if (inFlightBytes < 2048 || inFlightBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("berth.bodies.in-flight-bytes must be between 2048 and " + Integer.MAX_VALUE
                    + "; got " + inFlightBytes);
        }
        if (inFlightWait.isNegative()) throw new IllegalArgumentException("berth.bodies.in-flight-wait may not be negative");
    }
}
