package dev.berth.gitsync.external;

/**
 * A repository Berth fetches from: an https URL (with an optional username and token) or a
 * local path, and the branch to follow.
 *
 * @param secret a password or access token, or null for anonymous access
 */
public record RemoteSource(String url, String branch, String username, String secret) {
    @Override
    public String toString() {
        // Never the secret: sources end up in logs and error messages.
        return url + "#" + branch;
    }
}
