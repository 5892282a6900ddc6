import type { FailoverCluster, FailoverTransport } from './failover-cluster.js';
import { startRabbitCluster } from './rabbit-cluster.js';
import { startRedisCluster } from './redis-cluster.js';
import { startRedisSentinel } from './redis-sentinel.js';

export function startCluster(transport: FailoverTransport, dir: string): Promise<FailoverCluster> {
  switch (transport) {
    case 'rabbitmq':
      return startRabbitCluster(dir);
    case 'redis-cluster':
      return startRedisCluster(dir);
    case 'redis-sentinel':
      return startRedisSentinel(dir);
  }
}
