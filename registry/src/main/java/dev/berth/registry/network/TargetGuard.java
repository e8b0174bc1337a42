package dev.berth.registry.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host once and checks every address it has against an {@link AddressPolicy}: a name
 * with one forbidden address is refused as a whole, since the client may pick any of them.
 */
public final class TargetGuard {
    /** How names become addresses; the system resolver outside tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final AddressPolicy policy;
    private final Resolver resolver;

    public TargetGuard(AddressPolicy policy, Resolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    /** With the system resolver. */
    public TargetGuard(AddressPolicy policy) {
        this(policy, InetAddress::getAllByName);
    }

    public AddressPolicy policy() {
        return policy;
    }

    /**
     * @return the checked addresses of {@code host}, to connect to (none when the policy allows everything)
     * @throws ForbiddenTargetException when the name or one of its addresses is not allowed
     * @throws UnknownHostException when the name does not resolve
     */
    public List<InetAddress> check(String host) throws IOException {
        if (policy.allowsEverything()) return List.of();
        return resolve(host);
    }

    /**
     * What can be told from the name alone, resolving nothing: for a client whose connections go
     * through an {@link EgressTunnel}, which resolves and checks the addresses itself.
     *
     * @throws ForbiddenTargetException when the name is not allowed
     */
    public void checkName(String host) throws ForbiddenTargetException {
        if (policy.checkName(host) instanceof AddressPolicy.Refused r) throw new ForbiddenTargetException(host, r.reason());
    }

    /**
     * Like {@link #check(String)}, but resolves even when the policy allows everything.
     *
     * @return the addresses of {@code host}, each allowed by the policy
     */
    public List<InetAddress> resolve(String host) throws IOException {
        if (policy.checkName(host) instanceof AddressPolicy.Refused r) throw new ForbiddenTargetException(host, r.reason());
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = resolver.resolve(bare);
        for (InetAddress a : addresses) {
            if (policy.check(host, a) instanceof AddressPolicy.Refused r) throw new ForbiddenTargetException(host, r.reason());
        }
        return List.of(addresses);
    }
}
