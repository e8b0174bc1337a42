package dev.berth.platform.audit;

import dev.berth.platform.database.DatabaseProperties;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The audit log's settings.
 *
 * @param keyFile the key of the audit chain (created 0600 when missing); every platform instance
 *                that shares the database needs a copy of the same file. Environment:
 *                BERTH_AUDIT_KEY_FILE; unset, {@code audit.key} beside the embedded database's
 *                data directory, which is {@code $BERTH_DATA_DIR/audit.key}. Beside it each instance
 *                keeps its own {@code audit.checkpoint} ({@link AuditCheckpointFile}), which is not
 *                copied to other instances.
 */
@ConfigurationProperties("berth.audit")
public record AuditProperties(Path keyFile) {
    public AuditProperties {
        if (keyFile != null && keyFile.toString().isBlank()) keyFile = null;
    }

    /** The key file to use, defaulting beside the embedded data directory (external database or not). */
    public Path keyFile(DatabaseProperties database) {
        return (keyFile != null ? keyFile : database.embedded().dataDir().resolveSibling("audit.key")).toAbsolutePath();
    }
}
