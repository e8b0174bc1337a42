package dev.berth.platform.repositories;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Once, at the first start after V15: opens the remote tokens and webhook secrets sealed before
 * they were bound to their row, and seals them again bound (RepositorySeals). Only rows V15 marked
 * are read the old way, so no value sealed from then on can be opened without its binding.
 */
@Component
public class SealRebinding implements ApplicationRunner {
    private static final System.Logger LOG = System.getLogger(SealRebinding.class.getName());
    private final RepositoryStore store;
    private final SecretBox secrets;

    public SealRebinding(RepositoryStore store, SecretBox secrets) {
        this.store = store;
        this.secrets = secrets;
    }

    @Override
    public void run(ApplicationArguments args) {
        int rebound = rebind();
        if (rebound > 0) LOG.log(System.Logger.Level.INFO, "bound the sealed secrets of " + rebound + " repositories to their rows");
    }

    /** @return how many repositories this call rebound */
    int rebind() {
        int done = 0;
        for (var row : store.withUnboundSeals()) {
            var remote = row.remote();
            try {
                byte[] token = remote.sealedSecret() == null ? null
                        : secrets.seal(secrets.openUnbound(remote.sealedSecret()), RepositorySeals.remoteToken(row));
                byte[] webhook = secrets.seal(secrets.openUnbound(remote.sealedWebhookSecret()), RepositorySeals.webhookSecret(row));
                if (store.rebindSeals(row.id(), token, webhook)) done++;
            } catch (IllegalStateException e) {
                // Left marked: its syncs and webhooks keep failing with the reason until the key is put back.
                LOG.log(System.Logger.Level.ERROR, "the sealed secrets of repository " + row.team() + "/" + row.name()
                        + " could not be rebound: " + e.getMessage());
            }
        }
        return done;
    }
}
