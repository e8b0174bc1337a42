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

    @Bean
    AddressPolicy targetPolicy(NetworkProperties properties) {
        // A bad entry stops the start with a message naming it.
        return AddressPolicy.of(properties.allowedPrivateTargets(), ownAddresses(), NetworkProperties.SETTING);
    }

    /** Every address of this machine's interfaces, read once at start. */
    private static Set<InetAddress> ownAddresses() {
        var own = new HashSet<InetAddress>();
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
