import { runConformance } from '@msgport/conformance';
import { ManualClock } from '@msgport/core';
import { createMemoryBroker, memoryCapabilities } from '../src/index.js';

// The whole suite on a manual clock (no real waiting); then the general cases (A–G, K) on FIFO queues.
for (const queueKind of ['standard', 'fifo'] as const) {
  const clock = new ManualClock();
  runConformance({
    name: queueKind === 'fifo' ? 'memory (fifo)' : 'memory',
    harness: { connect: async () => createMemoryBroker({ clock }) },
    capabilities: memoryCapabilities,
    clock,
    queueKind,
    ...(queueKind === 'fifo' ? { groups: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'K'] as const } : {}),
  });
}
