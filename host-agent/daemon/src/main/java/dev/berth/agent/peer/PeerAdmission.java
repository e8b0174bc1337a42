package dev.berth.agent.peer;

import dev.berth.agent.protocol.ConnectGrant;
import java.util.List;
import java.util.Optional;

/**
 * Whether a peer's request may reach one of this host's replicas: the replica must be one this
 * host serves now, and a current grant must let the asking host reach that app's port for the
 * consumer app it names. The grant also says which number the port name stands for in that
 * replica's revision (the replica's spec names no ports), so a peer never picks the number. Pure.
 */
final class PeerAdmission {
    private PeerAdmission() {
    }

    /** The answer: the replica and port to relay to, or why not. */
    sealed interface Decision {
        record Admitted(PeerServer.Replica replica, int containerPort) implements Decision {
        }

        record Refused(String reason) implements Decision {
        }
    }

    static Decision decide(PeerRequest request, String peerHost, Optional<PeerServer.Replica> replica, List<ConnectGrant> grants) {
        if (replica.isEmpty()) {
            return new Decision.Refused("container " + request.container() + " is no replica serving on this host");
        }
        String app = replica.get().app();
        var grant = grants.stream().filter(g -> g.app().equals(app) && g.port().equals(request.port())
                && g.consumerApp().equals(request.consumerApp()) && g.consumerHosts().contains(peerHost)).findFirst();
        if (grant.isEmpty()) {
            return new Decision.Refused("no grant lets app " + request.consumerApp() + " on host " + peerHost + " reach "
                    + app + "'s port " + request.port());
        }
        Integer number = grant.get().containerPorts().get(request.container());
        if (number == null || number < 1 || number > 65535) {
            return new Decision.Refused("the grant for " + app + "'s port " + request.port() + " names no port number of container "
                    + request.container());
        }
        return new Decision.Admitted(replica.get(), number);
    }
}
