/**
 * {@link ai.bytesandbrains.rtt.table.RecordTable}: the lock-free, fixed-capacity, insert-only hash table
 * of records behind sites, edges, chains and reports.
 */
package ai.bytesandbrains.rtt.table;
