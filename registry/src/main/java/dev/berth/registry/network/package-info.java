/**
 * Where the platform may connect on behalf of what users write: a pure classifier of addresses
 * ({@link dev.berth.registry.network.Addresses}), the administrator's allow-list
 * ({@link dev.berth.registry.network.AddressPolicy}), the resolve-once check at the edge
 * ({@link dev.berth.registry.network.TargetGuard}) and the proxy that connects to exactly the
 * address it checked ({@link dev.berth.registry.network.EgressTunnel}). Used for registry hosts
 * and external repository URLs.
 */
package dev.berth.registry.network;
