/**
 * The view: one chirp as HTML, and the out-of-band fragments that htmx swaps into the page.
 * Every value is HTML-escaped by jte; every fragment is a single line.
 */
package dev.chirp.core.render;
