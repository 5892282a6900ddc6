import type { FailoverTransport } from './failover-cluster.js';

/**
 * Failover runs that cannot pass with today's transports, and why (see docs/faults.md). The test
 * of each runs as `it.fails`: once the transport is fixed it passes, `it.fails` reports that, and
 * the entry must go.
 */
export const KNOWN_FAILOVER_FAILURES: Partial<Record<FailoverTransport, string>> = {};
