import type { CaseContext } from '../support/context.js';
import { fifoDedupCases } from './fifo-dedup.js';
import { fifoOrderCases } from './fifo-order.js';
import { fifoRuleCases } from './fifo-rules.js';

/** H. FIFO queues: order per group, group locks, deduplication, validation; and fair queues. */
export function fifoCases(ctx: CaseContext): void {
  fifoOrderCases(ctx);
  fifoDedupCases(ctx);
  fifoRuleCases(ctx);
}
