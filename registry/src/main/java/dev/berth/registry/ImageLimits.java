package dev.berth.registry;

/**
 * How large an image {@link RegistryClient#resolve} accepts, checked on the manifest before any
 * layer is downloaded.
 *
 * @param maxLayers the most layers an image may have
 * @param maxBytes  the largest total of the config and layer sizes the manifest declares (compressed)
 */
public record ImageLimits(int maxLayers, long maxBytes) {
    /** 128 layers, 16 GiB. */
    public static final ImageLimits DEFAULTS = new ImageLimits(128, 16L << 30);

    public ImageLimits {
        if (maxLayers < 1 || maxBytes < 1) throw new IllegalArgumentException("image limits must be positive");
    }
}
