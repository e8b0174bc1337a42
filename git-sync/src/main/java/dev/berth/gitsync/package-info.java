/**
 * Git sync: turns pushes to hosted repositories and fetches from external ones into validated
 * revisions (commit, signer, parsed berth.yaml, pinned image digests). Exposes records only; JGit
 * types stay inside this module. Depends on nothing else in Berth.
 */
package dev.berth.gitsync;
