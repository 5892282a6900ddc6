import type { CaseContext } from '../support/context.js';
import { consumerLifecycleCases } from './consumer-lifecycle.js';
import { consumerObservabilityCases } from './consumer-observability.js';
import { consumerOutcomeCases } from './consumer-outcomes.js';
import { consumerScalingCases } from './consumer-scaling.js';

/**
 * J. The consumer runtime: Lambda's event source mapping (concurrency, outcomes, FIFO order,
 * shutdown, heartbeat, failure reports) on the transport under test.
 */
export function consumerCases(ctx: CaseContext): void {
  consumerScalingCases(ctx);
  consumerOutcomeCases(ctx);
  consumerLifecycleCases(ctx);
  consumerObservabilityCases(ctx);
}
