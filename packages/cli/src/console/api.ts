import type { Broker } from '@msgport/core';
import { peekMessages } from '../commands/peek.js';
import { queueOverview } from '../queue-overview.js';
import { BadRequest, countParam, queueName, redriveRequest } from './validate.js';

/** What the page needs to know about the broker; the URL is the redacted one. */
export interface BrokerInfo {
  readonly transport: string;
  readonly url: string;
  readonly topics: boolean;
  readonly pollSeconds: number;
}

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The parsed JSON body of a POST. */
  readonly body: unknown;
}

async function topicsOverview(broker: Broker) {
  if (!broker.capabilities.topics) return [];
  const names = (await broker.listTopics()).sort();
  return Promise.all(
    names.map(async (name) => {
      const subscriptions = await broker.topic(name).listSubscriptions();
      return {
        name,
        subscriptions: subscriptions.map((s) => ({
          id: s.id,
          queue: s.queue,
          rawMessageDelivery: s.rawMessageDelivery,
          filterPolicyScope: s.filterPolicyScope,
          filterPolicy: s.filterPolicy ?? null,
        })),
      };
    }),
  );
}

/**
 * The JSON API under /api:
 * - GET  /api/broker                       transport, redacted URL, refresh period
 * - GET  /api/queues                       every queue's depths and its DLQ (`at`: server time)
 * - GET  /api/queues/:name/messages?count  peek (visibility 0: receive counts rise)
 * - POST /api/queues/:name/redrive {to?}   redrive a dead-letter queue
 * - GET  /api/topics                       topics with subscriptions and filter policies
 */
export async function handleApi(broker: Broker, info: BrokerInfo, request: ApiRequest): Promise<unknown> {
  const parts = request.path.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const route = `${request.method} ${parts.map((part, i) => (i === 1 ? ':name' : part)).join('/')}`;
  switch (route) {
    case 'GET broker':
      return info;
    case 'GET queues':
      return { at: Date.now(), queues: await queueOverview(broker) };
    case 'GET topics':
      return { topics: await topicsOverview(broker) };
    case 'GET queues/:name/messages': {
      const name = queueName(parts[1]);
      const count = countParam(request.query.get('count'), 10, 1, 10);
      return { messages: await peekMessages(broker.queue(name), count) };
    }
    case 'POST queues/:name/redrive': {
      const name = queueName(parts[1]);
      const { to } = redriveRequest(request.body);
      return broker.queue(name).redrive(to !== undefined ? { to } : {});
    }
    default:
      throw new BadRequest(`no such API route: ${request.method} ${request.path}`, 404);
  }
}
