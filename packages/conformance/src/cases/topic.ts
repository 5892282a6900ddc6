import type { CaseContext } from '../support/context.js';
import { topicAdminCases } from './topic-admin.js';
import { topicFanOutCases } from './topic-fanout.js';
import { topicFifoCases } from './topic-fifo.js';
import { topicFilterCases } from './topic-filter.js';

/** I. Topics: fan-out, isolation, fidelity through raw and enveloped delivery, filter policies, FIFO topics. */
export function topicCases(ctx: CaseContext): void {
  topicFanOutCases(ctx);
  topicFilterCases(ctx);
  topicFifoCases(ctx);
  topicAdminCases(ctx);
}
