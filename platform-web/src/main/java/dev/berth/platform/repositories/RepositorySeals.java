package dev.berth.platform.repositories;

/**
 * What an external repository's sealed values are bound to (the associated data of
 * {@link SecretBox#seal(String, String)}): the repository's row by its team and name, and the
 * purpose. The remote token is bound to the remote's URL as well, so neither copying it to another
 * row nor pointing its own row at another server makes the platform send it anywhere else.
 * Newlines separate the parts: none of them can contain one, so no two rows share a context.
 */
final class RepositorySeals {
    private RepositorySeals() {
    }

    static String remoteToken(long teamId, String name, String url) {
        return "repository-remote-token\n" + teamId + "\n" + name + "\n" + url;
    }

    static String webhookSecret(long teamId, String name) {
        return "repository-webhook-secret\n" + teamId + "\n" + name;
    }

    static String remoteToken(RepositoryStore.Row row) {
        return remoteToken(row.teamId(), row.name(), row.remote().url());
    }

    static String webhookSecret(RepositoryStore.Row row) {
        return webhookSecret(row.teamId(), row.name());
    }
}
