package ai.bytesandbrains.rtt.chain;

/**
 * Where {@link ChainBudget} took the estimate of one hop from, most specific first.
 */
public enum HopSource
{
    /** The previous site's reverse-path report about its edge to this hop (hops 1 and on only). */
    REPORTED,
    /** The caller's own per-edge EMA {@code (site, chainId, hopIndex)}. */
    EDGE,
    /** The caller's own aggregate EMA of the site. */
    SITE,
    /** The caller's prior for the chain. */
    CHAIN_PRIOR,
    /** The caller's global prior. */
    GLOBAL_PRIOR,
    /** No tier warm: the per-hop static default, taken as srtt with rttvar 0. */
    STATIC_DEFAULT
}
