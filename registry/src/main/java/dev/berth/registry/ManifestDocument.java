package dev.berth.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A parsed manifest: either an index of per-platform manifests, or an image manifest. Public for
 * readers of manifests that do not come over HTTP (an OCI image layout on disk).
 */
public sealed interface ManifestDocument {

    String mediaType();

    /** An OCI image index or Docker manifest list. */
    record Index(String mediaType, List<Descriptor> manifests) implements ManifestDocument {

        public Index {
            manifests = List.copyOf(manifests);
        }

        /** The first entry that is an image manifest for {@code platform}. */
        public Optional<Descriptor> select(Platform platform) {
            return manifests.stream()
                    .filter(d -> MediaTypes.MANIFESTS.contains(d.mediaType()) || d.mediaType().isEmpty())
                    .filter(d -> platform.matches(d.platform()))
                    .findFirst();
        }

        /** The platforms on offer, for error messages; attestation entries ({@code unknown}) left out. */
        public List<String> platforms() {
            return manifests.stream().map(Descriptor::platform)
                    .filter(p -> p != null && !p.os().equals("unknown")).map(Platform::toString).toList();
        }
    }

    /** An OCI image manifest or Docker schema 2 manifest. */
    record Image(String mediaType, Descriptor config, List<Descriptor> layers) implements ManifestDocument {

        public Image {
            layers = List.copyOf(layers);
        }
    }

    /**
     * Parses a manifest body. Its media type is the document's {@code mediaType} field, or the
     * response's Content-Type when the document has none.
     *
     * @throws IllegalArgumentException naming the media type when it is schema 1 or unknown, or what
     *                                  is malformed
     */
    public static ManifestDocument parse(byte[] raw, String contentType) {
        JsonNode root = Json.object(raw, "manifest");
        String declared = Json.text(root, "mediaType");
        String header = contentType == null ? null : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        String mediaType = declared != null && !declared.isEmpty() ? declared : header;
        if (mediaType == null || mediaType.isEmpty() || mediaType.equals("application/json")) {
            // Old OCI documents may omit mediaType; their shape tells them apart.
            if (root.path("schemaVersion").asInt(0) == 1) mediaType = MediaTypes.DOCKER_SCHEMA1;
            else if (root.has("manifests")) mediaType = MediaTypes.OCI_INDEX;
            else if (root.has("config") && root.has("layers")) mediaType = MediaTypes.OCI_MANIFEST;
            else throw new IllegalArgumentException("manifest has no media type");
        }
        if (MediaTypes.isSchema1(mediaType)) {
            throw new IllegalArgumentException("manifest media type " + mediaType
                    + " (Docker schema 1) is not supported; push the image again with a current tool");
        }
        if (MediaTypes.INDEXES.contains(mediaType)) {
            List<Descriptor> entries = new ArrayList<>();
            for (JsonNode entry : root.path("manifests")) entries.add(descriptor(entry, "manifests[]"));
            return new Index(mediaType, entries);
        }
        if (MediaTypes.MANIFESTS.contains(mediaType)) {
            JsonNode config = root.get("config");
            if (config == null || !config.isObject()) throw new IllegalArgumentException("manifest has no config descriptor");
            List<Descriptor> layers = new ArrayList<>();
            for (JsonNode layer : root.path("layers")) layers.add(descriptor(layer, "layers[]"));
            return new Image(mediaType, descriptor(config, "config"), layers);
        }
        throw new IllegalArgumentException("manifest media type " + mediaType + " is not supported (expected one of "
                + MediaTypes.ACCEPT + ")");
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        String digest = Json.text(node, "digest");
        JsonNode size = node.get("size");
        if (digest == null || size == null || !size.canConvertToLong()) {
            throw new IllegalArgumentException("manifest " + where + " lacks a digest or size");
        }
        String mediaType = Json.text(node, "mediaType");
        Platform platform = null;
        JsonNode p = node.get("platform");
        if (p != null && p.isObject() && Json.text(p, "os") != null && Json.text(p, "architecture") != null) {
            platform = new Platform(Json.text(p, "os"), Json.text(p, "architecture"), Json.text(p, "variant"));
        }
        try {
            return new Descriptor(mediaType == null ? "" : mediaType, digest, size.asLong(), platform);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("manifest " + where + ": " + e.getMessage());
        }
    }
}
