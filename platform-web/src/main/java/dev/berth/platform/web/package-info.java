/**
 * The web edge before any chain or controller: every request body that may be read into memory
 * is capped here, by area, and the bytes being read at once are kept within a budget.
 */
package dev.berth.platform.web;
