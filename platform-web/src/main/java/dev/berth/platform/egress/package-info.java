/**
 * The private ranges each team's apps may reach: a per-team allow-list that platform admins set
 * ({@link dev.berth.platform.egress.EgressAllowService}) and that the review of berth.yaml's
 * {@code egressTo} reads ({@link dev.berth.platform.egress.EgressAllowLookup}). Ranges are parsed
 * and classified by the registry's {@code network} package; nothing here parses addresses itself.
 */
package dev.berth.platform.egress;
