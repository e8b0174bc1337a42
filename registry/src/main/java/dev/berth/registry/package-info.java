/**
 * A client for OCI distribution registries: image references, authentication, manifest
 * selection and blob downloads verified against their digests. The host agent pulls with it; the
 * platform may use it to resolve tags to digests. It depends on nothing else in Berth.
 */
package dev.berth.registry;
