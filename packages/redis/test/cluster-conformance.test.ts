import { connect } from '@msgport/core';
import { afterAll, inject } from 'vitest';
import { uniquePrefix } from './support/env.js';
import { LocalCluster } from './support/redis-cluster.js';
import { conformanceRuns } from './support/runs.js';

// The suite again on a Redis Cluster of 3 primaries started from the installed redis-server on
// free loopback ports (private temp dirs): queues, their dead-letter queues and topics land on
// different slots and nodes. The cluster is torn down after the file.
let cluster: Promise<LocalCluster> | undefined;
const started = () => (cluster ??= LocalCluster.start());
afterAll(async () => (await cluster)?.stop());

conformanceRuns('redis cluster', !inject('redisBinaries'), (label) => ({
  connect: async () => connect(`${(await started()).url}&prefix=${uniquePrefix(`cluster-${label}`)}`),
}));
