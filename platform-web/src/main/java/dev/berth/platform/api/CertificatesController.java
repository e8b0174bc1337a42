package dev.berth.platform.api;

import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.certificates.CertificateState;
import dev.berth.platform.certificates.CertificateUploads;
import dev.berth.platform.security.CallerResolver;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/teams/{team}/apps/{app}/certificates")
@Tag(name = "Certificates", description = "The certificates of an app's routes: ordered from the ACME CA, or uploaded")
public class CertificatesController {
    private final CertificateUploads uploads;
    private final CallerResolver callers;

    public CertificatesController(CertificateUploads uploads, CallerResolver callers) {
        this.uploads = uploads;
        this.callers = callers;
    }

    /**
     * A certificate a team brings; the key is never returned by any endpoint.
     *
     * @param certificate the PEM chain, the host's certificate first
     * @param key         its private key, PKCS#8 PEM
     */
    public record Upload(String certificate, String key) {
        @Override
        public String toString() {
            return "Upload[key hidden]";
        }
    }

    @GetMapping
    @Operation(summary = "Each route host's certificate: source (acme, uploaded, none), status (pending, issued, failed,"
            + " uploaded, expired), issuer, expiry, the last error and attempt (team VIEWER)")
    public List<CertificateState> list(@PathVariable String team, @PathVariable String app) {
        return uploads.list(callers.current(), team, app);
    }

    @PutMapping("/{host}")
    @Operation(summary = "Upload the certificate and key for one of the app's route hosts; it wins over the ACME one"
            + " (team DEPLOYER)",
            description = "Body {\"certificate\": \"-----BEGIN CERTIFICATE-----...\", \"key\": \"-----BEGIN PRIVATE KEY-----...\"}"
                    + " (capped like every API body). Refused with a reason: a host the app does not route, a chain that"
                    + " does not parse, a key that is not the certificate's, a certificate that does not cover the host"
                    + " or is expired. The key is never shown again.")
    public CertificateState upload(@PathVariable String team, @PathVariable String app, @PathVariable String host,
                                   @RequestBody Upload body, HttpServletRequest request) {
        return uploads.upload(callers.current(), team, app, host, body.certificate(), body.key(), RequestOrigin.of(request));
    }

    @DeleteMapping("/{host}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete the uploaded certificate of a route host; the platform orders one from the ACME CA"
            + " (team DEPLOYER)")
    public void delete(@PathVariable String team, @PathVariable String app, @PathVariable String host,
                       HttpServletRequest request) {
        uploads.delete(callers.current(), team, app, host, RequestOrigin.of(request));
    }
}
