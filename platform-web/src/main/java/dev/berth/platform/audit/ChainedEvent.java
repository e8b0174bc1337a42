package dev.berth.platform.audit;

/** An audit event as stored: its place in the chain and the two hashes that bind it there. */
public record ChainedEvent(long seq, AuditEvent event, ChainHash prevHash, ChainHash hash) {
}
