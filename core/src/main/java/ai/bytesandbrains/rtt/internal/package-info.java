/**
 * Support shared by bb-rtt's packages. Not API: it may change in any release.
 */
package ai.bytesandbrains.rtt.internal;
