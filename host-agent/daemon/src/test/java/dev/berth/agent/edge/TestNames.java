package dev.berth.agent.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * Resolves names under {@link #DOMAIN} to 127.0.0.1 for the edge tests (so clients send the
 * routed host in SNI and Host while talking to loopback alone); every other name goes to the
 * JDK's own resolver unchanged.
 */
public final class TestNames extends InetAddressResolverProvider {
    static final String DOMAIN = ".berth-edge.test";

    @Override
    public InetAddressResolver get(Configuration configuration) {
        var builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (host.endsWith(DOMAIN)) return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "berth edge test names";
    }
}
