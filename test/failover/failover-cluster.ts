export const FAILOVER_TRANSPORTS = ['rabbitmq', 'redis-cluster', 'redis-sentinel'] as const;
export type FailoverTransport = (typeof FAILOVER_TRANSPORTS)[number];

/** One server of a private cluster, as the failover run sees it. */
export interface ClusterNode {
  /** e.g. `127.0.0.1:41234` or a RabbitMQ node name. */
  readonly name: string;
  /** SIGKILL: a crash, nothing flushed. */
  kill(): Promise<void>;
  /** Starts it again on the same data; it rejoins the cluster. */
  restart(): Promise<void>;
}

/** A private cluster on free loopback ports, started and owned by the failover tool. */
export interface FailoverCluster {
  /** The URL the producer and consumer use: every node (RabbitMQ), the startup nodes, or the sentinels. */
  readonly clientUrl: string;
  /** A URL the tool creates the queue through. */
  readonly setupUrl: string;
  /** The node that leads `queue` — and, by the URL's order, holds the clients' connections. */
  leaderOf(queue: string): Promise<ClusterNode>;
  /** Where the queue's leader and the clients' connections are now, for the report. */
  describe(queue: string): Promise<string>;
  /**
   * The operator's remedy when messages stay with consumers that died with the killed node even after
   * it is back (RabbitMQ 3.10 sometimes keeps them): restart the app on the node leading the queue, so
   * a new leader checks every consumer again. Returns what it did.
   */
  releaseOrphans?(queue: string): Promise<string>;
  stop(): Promise<void>;
}
