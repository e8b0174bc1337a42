package dev.berth.platform.repositories;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/** Turns an image reference from berth.yaml into the digest a revision pins. */
public interface ImageResolver {
    /**
     * @return the digest ({@code sha256:...}) of the image's index, or of its manifest when it has none
     * @throws UnresolvableImage with the registry's reason
     */
    String resolve(String image) throws UnresolvableImage;

    /** How many images {@link #resolveAll} asks registries for at the same time. */
    int RESOLVING_AT_ONCE = 8;

    /** What resolving one image came to. */
    sealed interface Resolution permits Resolved, Unresolved {
    }

    /** The digest the image pins to. */
    record Resolved(String digest) implements Resolution {
    }

    /** Why the image cannot be pinned. */
    record Unresolved(String reason) implements Resolution {
    }

    /**
     * Resolves every distinct image once, all at the same time: a push waits for its slowest
     * registry round trip rather than for their sum (one per app before). In the order given.
     */
    default Map<String, Resolution> resolveAll(List<String> images) {
        var distinct = images.stream().distinct().toList();
        var out = new LinkedHashMap<String, Resolution>();
        if (distinct.size() == 1) {
            out.put(distinct.getFirst(), resolution(distinct.getFirst()));
            return out;
        }
        // At most RESOLVING_AT_ONCE requests in flight: a berth.yaml of many apps must not burst a registry.
        var slots = new Semaphore(RESOLVING_AT_ONCE);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var pending = new LinkedHashMap<String, Future<Resolution>>();
            for (String image : distinct) {
                pending.put(image, threads.submit(() -> {
                    slots.acquire();
                    try {
                        return resolution(image);
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (var e : pending.entrySet()) out.put(e.getKey(), e.getValue().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resolving images", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("resolving an image failed unexpectedly", e.getCause());
        }
        return out;
    }

    private Resolution resolution(String image) {
        try {
            return new Resolved(resolve(image));
        } catch (UnresolvableImage e) {
            return new Unresolved(e.getMessage());
        }
    }

    /** An image that cannot be pinned, and why. */
    final class UnresolvableImage extends Exception {
        public UnresolvableImage(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
