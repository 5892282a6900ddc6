import { defineCapabilities } from '@msgport/core/driver';

/**
 * SQS and SNS semantics in full (DESIGN §3–4), nothing declared missing. `persistent` holds when the
 * server runs with `appendonly yes` (see docs/transports/redis.md); with RDB snapshots only, a crash
 * loses the last writes.
 */
export const redisCapabilities = defineCapabilities();
