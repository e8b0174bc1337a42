package dev.berth.platform.network;

import dev.berth.registry.network.AddressPolicy;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashSet;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one {@link AddressPolicy} for connections users' settings lead to: registries and external repositories. */
@Configuration
@EnableConfigurationProperties(NetworkProperties.class)
public class NetworkConfig {

    private static final System.Logger LOG = System.getLogger(NetworkConfig.class.getName());

    @Bean
    AddressPolicy targetPolicy(NetworkProperties properties,
                               @org.springframework.beans.factory.annotation.Value("${berth.git.public-url:}") String publicUrl) {
        // A bad entry stops the start with a message naming it.
        return AddressPolicy.of(properties.allowedPrivateTargets(), ownAddresses(publicUrl), NetworkProperties.SETTING);
    }

    /**
     * Every address of this machine's interfaces, and those its public URL resolves to (behind NAT
     * that address is not on an interface, yet reaches the platform), read once at start.
     */
    private static Set<InetAddress> ownAddresses(String publicUrl) {
        var own = new HashSet<InetAddress>();
        String host = publicUrl == null || publicUrl.isBlank() ? null : java.net.URI.create(publicUrl.strip()).getHost();
        if (host != null) {
            try {
                own.addAll(java.util.List.of(InetAddress.getAllByName(host)));
            } catch (java.net.UnknownHostException e) {
                LOG.log(System.Logger.Level.WARNING, "the public URL's host " + host + " does not resolve; it is not"
                        + " counted among the platform's own addresses");
            }
        }
        try {
            for (var nic : NetworkInterface.networkInterfaces().toList()) {
                nic.inetAddresses().forEach(a -> {
                    // Scope ids (fe80::1%eth0) would make equal addresses differ.
                    try {
                        own.add(InetAddress.getByAddress(a.getAddress()));
                    } catch (java.net.UnknownHostException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list this machine's network addresses: " + e.getMessage(), e);
        }
        return own;
    }
}
