/**
 * The guard on every write: text normalization and the length and blank rules, and a rate
 * limit per client address. The {@link dev.chirp.core.guard.Sweeper} keeps both tidy.
 */
package dev.chirp.core.guard;
