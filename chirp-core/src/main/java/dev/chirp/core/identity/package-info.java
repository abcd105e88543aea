/** The throwaway handle each visitor posts under, kept in a cookie. */
package dev.chirp.core.identity;
