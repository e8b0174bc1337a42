package dev.berth.registry;

import dev.berth.image.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Objects;

/**
 * Resolves a reference to the manifest of one platform: fetched by tag or digest, digest-checked,
 * an index followed to the platform's entry, and the image held to the configured limits.
 */
record Manifests(RegistryConfig config, RegistryHttp http, Retries retries) {
    /** See {@link RegistryClient#resolve}. */
    ResolvedImage resolve(ImageReference ref, Platform platform) throws IOException {
        ResolvedImage resolved = resolveManifest(ref, platform);
        checkLimits(ref, resolved.manifest());
        return resolved;
    }

    private void checkLimits(ImageReference ref, ImageManifest manifest) throws RegistryException {
        ImageLimits limits = config.imageLimits();
        int layers = manifest.layers().size();
        if (layers > limits.maxLayers()) {
            throw new RegistryException(ref.registry(), ref.repository(), "image " + ref + " has " + layers
                    + " layers, more than the limit of " + limits.maxLayers(), 0);
        }
        long total = manifest.config().size();
        for (Descriptor layer : manifest.layers()) {
            total = total + layer.size() < total ? Long.MAX_VALUE : total + layer.size();
        }
        if (total > limits.maxBytes()) {
            throw new RegistryException(ref.registry(), ref.repository(), "image " + ref + " is " + total
                    + " bytes (config and layers as stored in the registry), more than the limit of " + limits.maxBytes(), 0);
        }
    }

    private ResolvedImage resolveManifest(ImageReference ref, Platform platform) throws IOException {
        Objects.requireNonNull(platform, "platform");
        Fetched top = fetchManifest(ref, ref.manifestReference(), ref.digest());
        ManifestDocument doc = parse(ref, top);
        return switch (doc) {
            case ManifestDocument.Image image ->
                    new ResolvedImage(ref.withDigest(top.digest), null, manifest(top, image));
            case ManifestDocument.Index index -> {
                Descriptor entry = index.select(platform).orElseThrow(() -> new RegistryException(ref.registry(),
                        ref.repository(), "image " + ref + " has no manifest for platform " + platform
                        + " (available: " + String.join(", ", index.platforms()) + ")", 0));
                Fetched selected = fetchManifest(ref, entry.digest(), entry.digest());
                if (selected.body.length != entry.size()) {
                    throw new RegistryException(ref.registry(), ref.repository(), "manifest " + entry.digest() + " is "
                            + selected.body.length + " bytes but the index says " + entry.size(), 0);
                }
                if (!(parse(ref, selected) instanceof ManifestDocument.Image image)) {
                    throw new RegistryException(ref.registry(), ref.repository(), "index entry " + entry.digest()
                            + " for " + platform + " is itself an index; nested indexes are not supported", 0);
                }
                yield new ResolvedImage(ref.withDigest(entry.digest()), top.digest, manifest(selected, image));
            }
        };
    }

    private record Fetched(byte[] body, String contentType, String digest) {
    }

    private Fetched fetchManifest(ImageReference ref, String reference, String expectedDigest) throws IOException {
        String what = "manifest " + reference;
        return retries.run(ref, "fetching " + what, () -> {
            HttpResponse<InputStream> r = http.send(ref, "manifests/" + reference, MediaTypes.ACCEPT);
            try (InputStream in = http.guard(r.body())) {
                RegistryHttp.checkOk(ref, what, r);
                long limit = config.maxManifestBytes();
                long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (announced > limit) {
                    throw new RegistryException(ref.registry(), ref.repository(), what + " is " + announced
                            + " bytes, more than the limit of " + limit, 0);
                }
                byte[] body = RegistryHttp.readBounded(in, limit, () -> new RegistryException(ref.registry(), ref.repository(),
                        what + " is more than the limit of " + limit + " bytes", 0));
                String digest = Digests.of(body);
                if (expectedDigest != null && !digest.equals(expectedDigest)) {
                    throw new RegistryException(ref.registry(), ref.repository(), "digest mismatch for " + what
                            + ": content hashes to " + digest, 0);
                }
                String announcedDigest = r.headers().firstValue("Docker-Content-Digest").orElse(null);
                if (expectedDigest == null && announcedDigest != null && announcedDigest.startsWith("sha256:")
                        && !announcedDigest.equals(digest)) {
                    throw new RegistryException(ref.registry(), ref.repository(), "digest mismatch for " + what
                            + ": registry says " + announcedDigest + " but content hashes to " + digest, 0);
                }
                return new Fetched(body, r.headers().firstValue("Content-Type").orElse(null), digest);
            }
        });
    }

    private static ManifestDocument parse(ImageReference ref, Fetched fetched) throws RegistryException {
        try {
            return ManifestDocument.parse(fetched.body, fetched.contentType);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(ref.registry(), ref.repository(), "manifest " + fetched.digest + ": "
                    + e.getMessage(), 0);
        }
    }

    private static ImageManifest manifest(Fetched fetched, ManifestDocument.Image image) {
        return new ImageManifest(fetched.digest, image.mediaType(), image.config(), image.layers(), fetched.body);
    }
}
