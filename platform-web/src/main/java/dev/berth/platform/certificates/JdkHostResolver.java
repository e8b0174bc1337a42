package dev.berth.platform.certificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.InitialDirContext;

/**
 * The JDK's resolvers: the system's ({@link InetAddress}) by default, or, given
 * {@code berth.acme.dns-server}, that DNS server asked directly through the JDK's JNDI DNS provider
 * (so the platform and a test CA such as Pebble see the same records). Only resolves: nothing
 * connects to what it returns.
 */
final class JdkHostResolver implements HostResolver {
    private final String dnsServer;

    /** @param dnsServer {@code HOST:PORT}, or null for the system resolver */
    JdkHostResolver(String dnsServer) {
        this.dnsServer = dnsServer;
    }

    @Override
    public List<InetAddress> resolve(String host) {
        return dnsServer == null ? system(host) : direct(host);
    }

    private static List<InetAddress> system(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    private List<InetAddress> direct(String host) {
        var env = new Hashtable<String, String>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", "dns://" + dnsServer);
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        var addresses = new ArrayList<InetAddress>();
        try {
            var context = new InitialDirContext(env);
            try {
                // One query per type: asking for both at once makes JNDI send ANY, which servers may refuse.
                for (String type : List.of("A", "AAAA")) {
                    try {
                        var values = context.getAttributes(host, new String[] {type}).get(type);
                        for (int i = 0; values != null && i < values.size(); i++) {
                            addresses.add(InetAddress.getByName(values.get(i).toString()));
                        }
                    } catch (NameNotFoundException e) {
                        // no such name, or no record of this type
                    }
                }
            } finally {
                context.close();
            }
        } catch (NamingException | IOException e) {
            throw new UncheckedIOException(new IOException("the DNS server " + dnsServer + " did not answer for " + host
                    + ": " + e.getMessage(), e));
        }
        return addresses;
    }
}
