package dev.berth.registry;

import dev.berth.image.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the client proves itself to registries: Basic credentials where a registry asks for them,
 * bearer tokens from the token service a challenge names, cached per (registry, scope) until
 * they expire. Credentials never appear in messages.
 */
final class RegistryAuth {
    private static final int MAX_TOKEN_RESPONSE = 1 << 20;

    /** One GET through the client's redirect-aware exchange. */
    @FunctionalInterface
    interface Exchange {
        HttpResponse<InputStream> exchange(URI uri, String accept, String authorization) throws IOException;
    }

    private final RegistryConfig config;
    private final Clock clock;
    private final Exchange http;
    private final Map<String, BearerToken> tokens = new ConcurrentHashMap<>();
    private final Set<String> basicRegistries = ConcurrentHashMap.newKeySet();

    RegistryAuth(RegistryConfig config, Clock clock, Exchange http) {
        this.config = config;
        this.clock = clock;
        this.http = http;
    }

    /** Drops a cached token the registry has just refused. */
    void forget(String registry, String scope) {
        tokens.remove(tokenKey(registry, scope));
    }

    /** The Authorization header to send first: a valid cached token, or Basic once the registry asked for it. */
    String cached(String registry, String scope) {
        BearerToken token = tokens.get(tokenKey(registry, scope));
        if (token != null && token.valid(clock.instant())) return "Bearer " + token.token();
        Credentials creds = config.credentialsFor(registry);
        return creds != null && basicRegistries.contains(registry) ? creds.basicHeader() : null;
    }

    private static String tokenKey(String registry, String scope) {
        return registry + " " + scope;
    }

    /** Answers a challenge: Basic credentials, or a fresh token from the challenge's token service. */
    String authorize(ImageReference repo, String scope, AuthChallenge challenge, String previous)
            throws IOException {
        String registry = repo.registry();
        Credentials creds = config.credentialsFor(registry);
        return switch (challenge) {
            case AuthChallenge.Basic basic -> {
                if (creds == null) {
                    throw new RegistryException(registry, repo.repository(), "authentication required for " + registry
                            + " but no credentials are configured for it", 401);
                }
                if (previous != null && previous.startsWith("Basic ")) {
                    throw failed(repo, "the registry refused the credentials");
                }
                basicRegistries.add(registry);
                yield creds.basicHeader();
            }
            case AuthChallenge.Bearer bearer -> {
                String key = tokenKey(registry, scope);
                tokens.remove(key);
                BearerToken token = fetchToken(repo, bearer, scope, creds);
                tokens.put(key, token);
                yield "Bearer " + token.token();
            }
        };
    }

    static RegistryException failed(ImageReference repo, String detail) {
        return new RegistryException(repo.registry(), repo.repository(), "authentication failed for "
                + repo.registry() + ": " + detail, 401);
    }

    private BearerToken fetchToken(ImageReference repo, AuthChallenge.Bearer challenge, String scope, Credentials creds)
            throws IOException {
        String registry = repo.registry();
        URI realm;
        try {
            realm = URI.create(challenge.realm());
        } catch (IllegalArgumentException e) {
            throw new RegistryException(registry, repo.repository(), "token service address '" + challenge.realm()
                    + "' is not a URL", 401);
        }
        String realmScheme = realm.getScheme() == null ? "" : realm.getScheme();
        if (!realmScheme.equals("https") && !(realmScheme.equals("http") && config.isInsecure(realm.getRawAuthority()))) {
            throw new RegistryException(registry, repo.repository(), "token service " + challenge.realm()
                    + " is not https (plain http is only used for hosts listed as insecure)", 401);
        }
        StringBuilder query = new StringBuilder();
        if (challenge.service() != null) query.append("service=").append(encode(challenge.service()));
        String wanted = challenge.scope() != null ? challenge.scope() : scope;
        query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(wanted));
        URI uri = URI.create(challenge.realm() + (challenge.realm().contains("?") ? "&" : "?") + query);
        HttpResponse<InputStream> r = http.exchange(uri, "application/json", creds != null ? creds.basicHeader() : null);
        try (InputStream in = r.body()) {
            int status = r.statusCode();
            if (status == 401 || status == 403) {
                throw failed(repo, "the token service refused " + (creds != null ? "the credentials"
                        : "anonymous access (no credentials configured)"));
            }
            if (status != 200) throw RegistryHttp.statusFailure(repo, "token request to " + realm.getRawAuthority(), r, in);
            byte[] body = RegistryHttp.readBounded(in, MAX_TOKEN_RESPONSE, () -> new RegistryException(registry, repo.repository(),
                    "token response is too large", 0));
            try {
                return BearerToken.parse(body, clock.instant());
            } catch (IllegalArgumentException e) {
                throw new RegistryException(registry, repo.repository(), "token service " + realm.getRawAuthority()
                        + ": " + e.getMessage(), status);
            }
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
