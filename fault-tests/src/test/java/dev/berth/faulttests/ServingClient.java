package dev.berth.faulttests;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A client requesting the app's published addresses in turn, as fast as it can, from its own
 * thread until closed; it keeps every failed request and what each address said last. The
 * addresses are asked again before each turn, so replicas that move are followed.
 */
final class ServingClient implements AutoCloseable {
    final List<String> failures = new CopyOnWriteArrayList<>();
    final AtomicInteger ok = new AtomicInteger();
    final Map<String, String> last = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    ServingClient(Supplier<List<String>> addresses) {
        thread = Thread.ofPlatform().name("serving-client").start(() -> {
            while (running.get()) {
                for (String address : addresses.get()) {
                    String body = WebApp.fetch(address, Duration.ofSeconds(5));
                    if (body == null) failures.add(address + " at " + Instant.now());
                    else {
                        ok.incrementAndGet();
                        last.put(address, body);
                    }
                }
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
