package dev.berth.platform.pki;

import dev.berth.platform.problem.Problem;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The public keys agents may have certified: EC on P-256 or P-384, given as base64 of their DER
 * SubjectPublicKeyInfo. Both ends of agent-to-agent TLS 1.3 (the JDK's) sign handshakes with them.
 * Anything else is refused with a sentence that says what is wrong.
 */
public final class AgentPublicKeys {
    /** Far above a P-384 key's 120 bytes (160 characters of base64), far below anything costly. */
    static final int MAX_BASE64 = 1024;

    private AgentPublicKeys() {
    }

    /**
     * The key {@code base64} stands for.
     *
     * @param field how the caller named the field, for the message
     * @throws Problem.Invalid when it is missing, too long, not base64, not a key, or not an allowed one
     */
    public static PublicKey parse(String base64, String field) {
        if (base64 == null || base64.isBlank()) throw new Problem.Invalid(field + " is missing");
        if (base64.length() > MAX_BASE64) {
            throw new Problem.Invalid(field + " is " + base64.length() + " characters long; at most " + MAX_BASE64 + " are taken");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new Problem.Invalid(field + " is not base64: " + e.getMessage());
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Problem.Invalid(field + " is not an EC public key in X.509 SubjectPublicKeyInfo form (DER, base64)"
                    + " on curve P-256 or P-384");
        }
        var params = ((ECPublicKey) key).getParams();
        if (!is(params, "secp256r1") && !is(params, "secp384r1")) {
            throw new Problem.Invalid(field + " is an EC key on a curve of " + params.getCurve().getField().getFieldSize()
                    + " bits other than P-256 and P-384; only those are taken");
        }
        return key;
    }

    private static boolean is(ECParameterSpec params, String curve) {
        try {
            var named = AlgorithmParameters.getInstance("EC");
            named.init(new ECGenParameterSpec(curve));
            var spec = named.getParameterSpec(ECParameterSpec.class);
            return spec.getCurve().equals(params.getCurve()) && spec.getGenerator().equals(params.getGenerator())
                    && spec.getOrder().equals(params.getOrder());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks the EC curve " + curve, e);
        }
    }
}
