/** The command-line launcher. Commands print to standard output and errors to standard error. */
package dev.chirp.cli;
