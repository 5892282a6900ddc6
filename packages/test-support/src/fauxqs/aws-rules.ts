/**
 * What Amazon SQS enforces and fauxqs 1.9.2 does not, added on the client side for the tests (the
 * transport itself leaves these rules to SQS). Each rule uses core's kit, so it is the one every
 * other transport applies:
 *
 * - PurgeQueue again within 60 s is `PurgeQueueInProgress` (API reference, PurgeQueue);
 * - a visibility change past 12 hours from the receive is `InvalidParameterValue`, and one on a
 *   handle whose visibility timeout ran out is `MessageNotInflight` (Developer Guide, "Amazon SQS
 *   visibility timeout"; API reference, ChangeMessageVisibility);
 * - a long poll answers empty only when its wait is over (Developer Guide, "Amazon SQS short and
 *   long polling"); fauxqs wakes every waiting poll when a message arrives and answers the ones that
 *   lose it empty at once, so such a poll is resumed for the rest of its wait.
 */
import { PurgeCooldowns, visibilityCapError } from '@msgport/core/driver';

type Input = Record<string, unknown>;
type Output = Record<string, unknown> & { Successful?: { Id?: string }[]; Failed?: unknown[] };
interface Args {
  input: Input;
  [key: string]: unknown;
}
interface Result {
  output: Output;
  response: unknown;
}
type Next = (args: Args) => Promise<Result>;

/** The slice of an SQSClient these rules need. */
export interface MiddlewareClient {
  readonly middlewareStack: {
    add(
      middleware: (next: Next, context: { commandName?: string }) => Next,
      options: { step: 'initialize'; name: string; override: boolean },
    ): void;
  };
}

interface Lease {
  readonly queueUrl: string;
  readonly messageId: string;
  readonly receivedAt: number;
  visibleAt: number | undefined;
}

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

class Rules {
  readonly purges = new PurgeCooldowns('sqs');
  /** Receipt handle → its receive; only the latest handle of a message has one (older ones are left to fauxqs). */
  readonly leases = new Map<string, Lease>();
  readonly latest = new Map<string, string>();
  /** Queue URL → its VisibilityTimeout, as created or last read. */
  readonly visibility = new Map<string, number>();

  async purge(next: Next, args: Args): Promise<Result> {
    const url = String(args.input.QueueUrl);
    try {
      this.purges.check(url, Date.now());
    } catch (error) {
      throw awsError('PurgeQueueInProgress', (error as Error).message);
    }
    const result = await next(args);
    this.purges.purged(url, Date.now());
    for (const [handle, lease] of this.leases) if (lease.queueUrl === url) this.#drop(handle);
    return result;
  }

  async receive(next: Next, args: Args): Promise<Result> {
    const requestedAt = Date.now();
    const wait = Number(args.input.WaitTimeSeconds ?? 0);
    const deadline = requestedAt + wait * 1000;
    let result = await next(args);
    while (((result.output.Messages as unknown[] | undefined) ?? []).length === 0 && Date.now() < deadline) {
      const left = Math.ceil((deadline - Date.now()) / 1000);
      result = await next({ ...args, input: { ...args.input, WaitTimeSeconds: left } });
    }
    const seconds =
      (args.input.VisibilityTimeout as number | undefined) ?? this.visibility.get(String(args.input.QueueUrl));
    const visibleAt = seconds === undefined ? undefined : Date.now() + seconds * 1000;
    const queueUrl = String(args.input.QueueUrl);
    for (const message of (result.output.Messages as { ReceiptHandle?: string; MessageId?: string }[]) ?? []) {
      const { ReceiptHandle: handle, MessageId: messageId = '' } = message;
      if (!handle) continue;
      // received again (here or, dead-lettered, from its DLQ): the older handle is fauxqs's to judge
      const previous = this.latest.get(messageId);
      if (previous !== undefined) this.#drop(previous);
      this.leases.set(handle, { queueUrl, messageId, receivedAt: requestedAt, visibleAt });
      this.latest.set(messageId, handle);
    }
    return result;
  }

  #drop(handle: string): void {
    const lease = this.leases.get(handle);
    if (!lease) return;
    this.leases.delete(handle);
    if (this.latest.get(lease.messageId) === handle) this.latest.delete(lease.messageId);
  }

  async changeVisibility(next: Next, args: Args): Promise<Result> {
    const now = Date.now();
    const entries = (args.input.Entries as { Id: string; ReceiptHandle: string; VisibilityTimeout: number }[]) ?? [];
    const refused: { Id: string; Code: string; Message: string; SenderFault: boolean }[] = [];
    const allowed = entries.filter((entry) => {
      const lease = this.leases.get(entry.ReceiptHandle);
      if (!lease) return true;
      if (lease.visibleAt !== undefined && now >= lease.visibleAt) {
        refused.push({
          Id: entry.Id,
          Code: 'MessageNotInflight',
          Message: 'the message is not in flight',
          SenderFault: true,
        });
        return false;
      }
      const capped = visibilityCapError(lease.receivedAt, now, entry.VisibilityTimeout);
      if (capped)
        refused.push({ Id: entry.Id, Code: 'InvalidParameterValue', Message: capped.message, SenderFault: true });
      return capped === undefined;
    });
    if (allowed.length === 0) return { output: { Successful: [], Failed: refused, $metadata: {} }, response: {} };
    const result = await next({ ...args, input: { ...args.input, Entries: allowed } });
    const respondedAt = Date.now();
    for (const { Id } of result.output.Successful ?? []) {
      const entry = allowed.find((candidate) => candidate.Id === Id);
      const lease = entry && this.leases.get(entry.ReceiptHandle);
      if (entry && lease) lease.visibleAt = respondedAt + entry.VisibilityTimeout * 1000;
    }
    return { ...result, output: { ...result.output, Failed: [...(result.output.Failed ?? []), ...refused] } };
  }

  async forget(next: Next, args: Args): Promise<Result> {
    const result = await next(args);
    const entries = (args.input.Entries as { Id: string; ReceiptHandle: string }[]) ?? [];
    for (const { Id } of result.output.Successful ?? []) {
      const entry = entries.find((candidate) => candidate.Id === Id);
      if (entry) this.#drop(entry.ReceiptHandle);
    }
    return result;
  }

  async remember(next: Next, args: Args, commandName: string): Promise<Result> {
    const result = await next(args);
    const url = String(result.output.QueueUrl ?? args.input.QueueUrl);
    const attributes =
      commandName === 'CreateQueueCommand'
        ? (args.input.Attributes as Record<string, string> | undefined)
        : (result.output.Attributes as Record<string, string> | undefined);
    const seconds = attributes?.VisibilityTimeout;
    if (seconds !== undefined) this.visibility.set(url, Number(seconds));
    else if (commandName === 'CreateQueueCommand') this.visibility.set(url, 30);
    return result;
  }
}

/** Adds the AWS rules fauxqs lacks to an SQS client (one set of rules per client). */
export function withAwsRules<C extends object>(client: C): C {
  const rules = new Rules();
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => (args) => {
      switch (context.commandName) {
        case 'PurgeQueueCommand':
          return rules.purge(next, args);
        case 'ReceiveMessageCommand':
          return rules.receive(next, args);
        case 'ChangeMessageVisibilityBatchCommand':
          return rules.changeVisibility(next, args);
        case 'DeleteMessageBatchCommand':
          return rules.forget(next, args);
        case 'CreateQueueCommand':
        case 'GetQueueAttributesCommand':
          return rules.remember(next, args, context.commandName);
        default:
          return next(args);
      }
    },
    { step: 'initialize', name: 'fauxqsAwsRules', override: true },
  );
  return client;
}
