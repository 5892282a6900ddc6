import { randomBytes } from 'node:crypto';

/** The shared servers: never flushed, restarted or reconfigured; every run uses its own names. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A short token no other run uses, for names, prefixes and namespaces. */
export const runId = (): string => randomBytes(4).toString('hex');
