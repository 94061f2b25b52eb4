/**
 * A tracker in a memory-mapped file: {@link ai.bytesandbrains.rtt.file.TrackerFile} (create, open with
 * warm restart, one writer by file lock) and {@link ai.bytesandbrains.rtt.file.TrackerFileReader}
 * (read-only inspection from another process).
 */
package ai.bytesandbrains.rtt.file;
