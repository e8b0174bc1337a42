package dev.berth.registry.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS stand-in for tests, no DNS involved: each name answers its listed addresses one lookup
 * after the other and then keeps answering the last, as a rebinding name server would (first an
 * allowed address, then a forbidden one). Counts lookups.
 */
public final class RebindingResolver implements TargetGuard.Resolver {
    private final Map<String, List<InetAddress>> answers;
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    public RebindingResolver(Map<String, List<InetAddress>> answers) {
        this.answers = Map.copyOf(answers);
    }

    /** An address from its text, without any lookup. */
    public static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        List<InetAddress> list = answers.get(host);
        if (list == null) throw new UnknownHostException(host);
        int n = lookups.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement();
        return new InetAddress[] {list.get(Math.min(n, list.size() - 1))};
    }

    /** How often {@code host} was looked up. */
    public int lookups(String host) {
        AtomicInteger n = lookups.get(host);
        return n == null ? 0 : n.get();
    }
}
