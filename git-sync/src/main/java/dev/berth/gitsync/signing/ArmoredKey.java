package dev.berth.gitsync.signing;

import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;

/** What a pasted key block says about its key, in plain values, so that public types need no Bouncy Castle. */
record ArmoredKey(String fingerprint, List<String> userIds, boolean revoked) {
    /** Reads the block; IllegalArgumentException saying what is wrong with it. */
    static ArmoredKey read(String armored) {
        PGPPublicKeyRing ring = OpenPgp.readPublicKey(armored);
        PGPPublicKey primary = ring.getPublicKey();
        return new ArmoredKey(OpenPgp.fingerprint(primary), userIds(primary), KeyValidity.revoked(primary, new Date()));
    }

    /** User ids in key order, except that the one a self-signature marks primary comes first. */
    private static List<String> userIds(PGPPublicKey primary) {
        var ids = new ArrayList<String>();
        for (Iterator<String> it = primary.getUserIDs(); it.hasNext(); ) {
            String id = it.next();
            if (marksPrimary(primary, id)) ids.addFirst(id);
            else ids.add(id);
        }
        return List.copyOf(ids);
    }

    private static boolean marksPrimary(PGPPublicKey primary, String userId) {
        for (Iterator<PGPSignature> it = primary.getSignaturesForID(userId); it != null && it.hasNext(); ) {
            PGPSignature certification = it.next();
            if (certification.getKeyID() == primary.getKeyID() && certification.getHashedSubPackets() != null
                    && certification.getHashedSubPackets().isPrimaryUserID()) return true;
        }
        return false;
    }
}
