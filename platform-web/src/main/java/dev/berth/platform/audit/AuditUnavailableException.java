package dev.berth.platform.audit;

/** The audit log could not store an event; the action that needed it must not be reported done. */
public class AuditUnavailableException extends RuntimeException {
    public AuditUnavailableException(String message) {
        super(message);
    }
}
