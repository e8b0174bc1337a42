package dev.berth.gitsync.definition;

import java.util.List;

/** A valid {@code berth.yaml}: its API version and its apps in file order. */
public record Definition(String apiVersion, List<AppDefinition> apps) {
    /** The only version this parser reads. */
    public static final String API_VERSION = "berth/v1";

    public Definition {
        apps = List.copyOf(apps);
    }
}
