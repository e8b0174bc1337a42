/**
 * The web edge before any chain or controller: every request body that may be read into memory
 * is capped here, by area, and the bytes being read at once are kept within a budget. The
 * security chains are in {@code web.security}. The edge imports features and no feature imports
 * it; the API controllers, an edge too, map its exceptions to problems.
 */
package dev.berth.platform.web;
