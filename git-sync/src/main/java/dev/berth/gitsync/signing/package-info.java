/**
 * Commit signatures: which trusted OpenPGP key, if any, signed a commit. Speaks in records;
 * Bouncy Castle stays in package-private classes. Pure: no gpg binary, keyring or provider
 * registration.
 */
package dev.berth.gitsync.signing;
