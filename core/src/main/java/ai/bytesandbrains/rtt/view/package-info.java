/**
 * Reading a tracker: reusable, allocation-free views ({@link ai.bytesandbrains.rtt.view.SiteView},
 * {@link ai.bytesandbrains.rtt.view.EmaView}) for monitoring loops, and the immutable
 * {@link ai.bytesandbrains.rtt.view.RttTrackerSnapshot} for diagnostics, tests and export.
 */
package ai.bytesandbrains.rtt.view;
