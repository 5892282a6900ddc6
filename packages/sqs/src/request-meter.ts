/**
 * Counts the API requests the transport makes. SQS and SNS bill per request, so requests per
 * processed message is the transport's cost metric: `requests.total / messages.deleted` under load.
 */

export type AwsService = 'sqs' | 'sns';

export interface RequestCounts {
  /** Every HTTP request sent, retries included. */
  readonly total: number;
  readonly byService: Readonly<Record<AwsService, number>>;
  /** Keyed `service:Operation`, e.g. `sqs:ReceiveMessage`. */
  readonly byOperation: Readonly<Record<string, number>>;
}

export interface MessageCounts {
  /** Messages accepted by SendMessageBatch. */
  readonly sent: number;
  /** Messages returned by ReceiveMessage. */
  readonly received: number;
  /** Messages deleted by DeleteMessageBatch. */
  readonly deleted: number;
  /** Messages accepted by PublishBatch. */
  readonly published: number;
  /** Messages whose MD5 digests did not match what SQS reported (sent or received). */
  readonly digestMismatches: number;
}

export interface MeterSnapshot {
  readonly requests: RequestCounts;
  readonly messages: MessageCounts;
}

type MessageKind = keyof MessageCounts;

/** Request and message counters of one driver. */
export class RequestMeter {
  #byOperation = new Map<string, number>();
  #byService: Record<AwsService, number> = { sqs: 0, sns: 0 };
  #messages: Record<MessageKind, number> = { sent: 0, received: 0, deleted: 0, published: 0, digestMismatches: 0 };

  /** Records one request; called by the SDK middleware for every attempt. */
  countRequest(service: AwsService, operation: string): void {
    this.#byService[service]++;
    const key = `${service}:${operation}`;
    this.#byOperation.set(key, (this.#byOperation.get(key) ?? 0) + 1);
  }

  countMessages(kind: MessageKind, count: number): void {
    this.#messages[kind] += count;
  }

  snapshot(): MeterSnapshot {
    const byService = { ...this.#byService };
    return {
      requests: {
        total: byService.sqs + byService.sns,
        byService,
        byOperation: Object.fromEntries([...this.#byOperation].sort(([a], [b]) => a.localeCompare(b))),
      },
      messages: { ...this.#messages },
    };
  }

  /** Requests per message of `kind` since the last reset (`Infinity` when no such message yet). */
  requestsPerMessage(kind: MessageKind = 'deleted'): number {
    const requests = this.#byService.sqs + this.#byService.sns;
    const messages = this.#messages[kind];
    return messages === 0 ? Number.POSITIVE_INFINITY : requests / messages;
  }

  reset(): void {
    this.#byOperation.clear();
    this.#byService = { sqs: 0, sns: 0 };
    this.#messages = { sent: 0, received: 0, deleted: 0, published: 0, digestMismatches: 0 };
  }
}

type Next = (args: unknown) => Promise<unknown>;
interface MeterContext {
  readonly commandName?: string;
}

/** The slice of a Smithy client's middleware stack the meter needs (SQSClient and SNSClient both fit). */
export interface MeterableClient {
  readonly middlewareStack: {
    add(
      middleware: (next: Next, context: MeterContext) => Next,
      options: { step: 'finalizeRequest'; name: string; priority: 'low'; override: boolean },
    ): void;
  };
}

const MIDDLEWARE_NAME = 'msgportRequestMeter';

/**
 * Adds the counting middleware to an SDK client. It sits in the finalizeRequest step below the
 * retry middleware, so an SDK-level retry counts as the extra request it is.
 */
export function meterClient(client: MeterableClient, service: AwsService, meter: RequestMeter): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      meter.countRequest(service, (context.commandName ?? 'Unknown').replace(/Command$/, ''));
      return next(args);
    },
    { step: 'finalizeRequest', name: MIDDLEWARE_NAME, priority: 'low', override: true },
  );
}
