/**
 * The wire contract between the platform and host agents: small versioned records, asserted
 * against golden JSON files on both sides. Depends on nothing else in Berth.
 */
package dev.berth.agent.protocol;
