package dev.berth.platform.secrets;

/**
 * Published inside the transaction that sets or deletes an app secret, so the hosts that run the
 * app can be handed the new value with their next assignment.
 */
public record SecretChanged(long teamId, String team, String app, String name) {
}
