/**
 * Whole-chain budgets: {@link ai.bytesandbrains.rtt.chain.ChainBudget} composes the caller's own edge
 * estimate with the reverse-path reports of the downstream hops.
 */
package ai.bytesandbrains.rtt.chain;
