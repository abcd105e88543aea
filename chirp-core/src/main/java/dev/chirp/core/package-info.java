/**
 * The chirp value shared by every module. Null arguments are rejected with
 * {@link java.lang.NullPointerException} throughout {@code dev.chirp.core} and its subpackages.
 */
package dev.chirp.core;
