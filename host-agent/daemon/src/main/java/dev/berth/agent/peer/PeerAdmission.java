package dev.berth.agent.peer;

import dev.berth.agent.protocol.ConnectGrant;
import java.util.List;
import java.util.Optional;

/**
 * Whether a peer's request may reach one of this host's replicas: the replica must be one this
 * host serves now, and a current grant must let the asking host reach that app's port for the
 * consumer app it names. Pure.
 */
final class PeerAdmission {
    private PeerAdmission() {
    }

    /** The answer: the replica to relay to, or why not. */
    sealed interface Decision {
        record Admitted(PeerServer.Target target) implements Decision {
        }

        record Refused(String reason) implements Decision {
        }
    }

    static Decision decide(PeerRequest request, String peerHost, Optional<PeerServer.Target> replica, List<ConnectGrant> grants) {
        if (replica.isEmpty()) {
            return new Decision.Refused("container " + request.container() + " is no replica serving port " + request.port()
                    + " on this host");
        }
        String app = replica.get().app();
        boolean granted = grants.stream().anyMatch(g -> g.app().equals(app) && g.port().equals(request.port())
                && g.consumerApp().equals(request.consumerApp()) && g.consumerHosts().contains(peerHost));
        if (!granted) {
            return new Decision.Refused("no grant lets app " + request.consumerApp() + " on host " + peerHost + " reach "
                    + app + "'s port " + request.port());
        }
        return new Decision.Admitted(replica.get());
    }
}
