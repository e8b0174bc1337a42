package dev.berth.platform.repositories;

import static dev.berth.registry.network.RebindingResolver.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.gitsync.external.GitHttpBackend;
import dev.berth.gitsync.external.RemoteFetcher;
import dev.berth.gitsync.external.RemoteSource;
import dev.berth.registry.network.AddressPolicy;
import dev.berth.registry.network.EgressTunnel;
import dev.berth.registry.network.ForbiddenListener;
import dev.berth.registry.network.RebindingResolver;
import dev.berth.registry.network.TargetGuard;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * External fetches as {@link ExternalSync} sets them up, against git http-backend on 127.0.0.2:
 * names come from {@link RebindingResolver} (no DNS), the policy allows 127.0.0.2 only, and a
 * {@link ForbiddenListener} on 127.0.0.1 at the same port shows where a rebinding name would lead.
 */
class ExternalFetchRebindingTest {
    private static final String SETTING = "allowed private targets";
    private static final InetAddress ALLOWED = address("127.0.0.2");
    private static final InetAddress FORBIDDEN = address("127.0.0.1");

    @TempDir
    Path work;

    @Test
    void aRemoteNameThatRebindsAfterTheCheckNeverReachesTheNewAddress() throws Exception {
        String tip = servedRepository();
        var policy = AddressPolicy.of(List.of("127.0.0.2/32"), Set.of(), SETTING);
        try (var server = GitHttpBackend.start(work.resolve("served"), work, ALLOWED);
                var forbidden = ForbiddenListener.on(FORBIDDEN, server.port())) {
            var dns = new RebindingResolver(Map.of("stable.test", List.of(ALLOWED), "rebinding.test", List.of(ALLOWED, FORBIDDEN)));
            var guard = new TargetGuard(policy, dns);
            try (var tunnel = EgressTunnel.start(guard)) {
                var limits = ExternalSync.fetchLimits(4 << 20, guard, tunnel);

                // Every connection of a fetch goes where the tunnel's lookup said: the name is never resolved elsewhere.
                var stable = new RemoteSource("http://stable.test:" + server.port() + "/app.git", "main", null, null);
                assertThat(RemoteFetcher.fetch(work.resolve("mirror-1"), stable, "berth.yaml", 1 << 16, limits)
                        .commit().id().hex()).isEqualTo(tip);
                int connections = dns.lookups("stable.test");
                assertThat(connections).as("one lookup per connection").isGreaterThanOrEqualTo(2);
                assertThat(server.requests()).hasSize(connections);

                // The first connection goes to the checked 127.0.0.2; the next lookup says 127.0.0.1 and is refused.
                var rebinding = new RemoteSource("http://rebinding.test:" + server.port() + "/app.git", "main", null, null);
                int before = server.requests().size();
                assertThatThrownBy(() -> RemoteFetcher.fetch(work.resolve("mirror-2"), rebinding, "berth.yaml", 1 << 16, limits))
                        .isInstanceOf(IOException.class)
                        .hasMessage("fetching " + rebinding + " failed: 'rebinding.test' resolves to 127.0.0.1, a loopback"
                                + " address; Berth does not connect to loopback, private, link-local or its own addresses"
                                + " unless an administrator allows them (" + SETTING + ")");
                assertThat(server.requests().size() - before).as("the checked address saw the first request").isEqualTo(1);
            }
            assertThat(forbidden.accepted()).as("nothing reached 127.0.0.1").isZero();
        }
    }

    /** A bare repository {@code served/app.git} with berth.yaml on main; returns the tip. */
    private String servedRepository() throws Exception {
        Path checkout = work.resolve("checkout");
        try (Git git = Git.init().setDirectory(checkout.toFile()).setInitialBranch("main").call()) {
            Files.writeString(checkout.resolve("berth.yaml"), "apiVersion: berth/v1\napps: {}\n");
            git.add().addFilepattern("berth.yaml").call();
            String tip = git.commit().setMessage("first").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org")
                    .setSign(false).call().name();
            Git.cloneRepository().setURI(checkout.toUri().toString()).setBare(true)
                    .setDirectory(work.resolve("served/app.git").toFile()).call().close();
            return tip;
        }
    }
}
