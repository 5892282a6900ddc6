/** One node of the cluster, as the connection reaches it. */
export interface AmqpHost {
  readonly host: string;
  readonly port: number;
}

/**
 * The order a process tries the cluster's nodes in: as the URL lists them, or (`shuffleHosts`) in a
 * random order fixed for the process's lifetime, so many clients spread over the nodes instead of all
 * piling onto the first.
 */
export function hostOrder(
  hosts: readonly AmqpHost[],
  shuffle: boolean,
  random: () => number = Math.random,
): readonly AmqpHost[] {
  const order = [...hosts];
  if (!shuffle) return order;
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as AmqpHost, order[i] as AmqpHost];
  }
  return order;
}

/**
 * Indexes of the hosts to try, each once, starting with `first` and wrapping around. After the
 * connection to host `i` is lost, the round starts at `i + 1`: the next node at once, the lost one last.
 */
export function roundFrom(count: number, first: number): number[] {
  return Array.from({ length: count }, (_, offset) => (first + offset) % count);
}

export const formatHost = ({ host, port }: AmqpHost): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
