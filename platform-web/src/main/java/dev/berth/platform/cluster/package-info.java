/**
 * Carries what changed between platform instances that share one PostgreSQL, over
 * {@code LISTEN/NOTIFY} on one channel ({@link ClusterNotices#CHANNEL}): {@link ClusterNotices}
 * sends this instance's changes after commit, coalesced; {@link ClusterListener} receives the
 * others' and publishes them as {@link RemoteChange} events for the live views and the agents'
 * long polls. Infrastructure: it knows no feature; features hand it topics and listen to its events.
 */
package dev.berth.platform.cluster;
