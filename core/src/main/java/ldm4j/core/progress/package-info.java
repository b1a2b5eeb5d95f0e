/** Progress reporting for long loops: a live bar on a terminal, periodic log lines in CI. */
package ldm4j.core.progress;
