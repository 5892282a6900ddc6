import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueueDoesNotExistError } from '@msgport/core/driver';

interface RequestOptions {
  readonly abortSignal?: AbortSignal;
}

/**
 * Queue name → queue URL (and ARN), resolved once with GetQueueUrl / GetQueueAttributes and cached,
 * so steady-state sends and receives cost no lookup requests. Concurrent lookups share one request.
 * An entry is dropped when the queue is deleted or an operation reports it missing.
 */
export class QueueUrlCache {
  readonly #client: SQSClient;
  readonly #transport: string;
  readonly #urls = new Map<string, Promise<string>>();
  readonly #arns = new Map<string, Promise<string>>();

  constructor(client: SQSClient, transport: string) {
    this.#client = client;
    this.#transport = transport;
  }

  url(name: string, options: RequestOptions = {}): Promise<string> {
    let pending = this.#urls.get(name);
    if (!pending) {
      pending = this.#client.send(new GetQueueUrlCommand({ QueueName: name }), options).then((output) => {
        if (!output.QueueUrl) throw this.missing(name);
        return output.QueueUrl;
      });
      this.#urls.set(name, pending);
      pending.catch(() => {
        if (this.#urls.get(name) === pending) this.#urls.delete(name);
      });
    }
    return pending;
  }

  arn(name: string, options: RequestOptions = {}): Promise<string> {
    let pending = this.#arns.get(name);
    if (!pending) {
      pending = this.url(name, options)
        .then((QueueUrl) =>
          this.#client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }), options),
        )
        .then((output) => {
          const arn = output.Attributes?.QueueArn;
          if (!arn) throw this.missing(name);
          return arn;
        });
      this.#arns.set(name, pending);
      pending.catch(() => {
        if (this.#arns.get(name) === pending) this.#arns.delete(name);
      });
    }
    return pending;
  }

  remember(name: string, url: string): void {
    this.#urls.set(name, Promise.resolve(url));
  }

  forget(name: string): void {
    this.#urls.delete(name);
    this.#arns.delete(name);
  }

  missing(name: string, cause?: unknown): QueueDoesNotExistError {
    this.forget(name);
    return new QueueDoesNotExistError(`queue "${name}" does not exist`, {
      transport: this.#transport,
      ...(cause !== undefined ? { cause } : {}),
    });
  }
}

/** Queue names by prefix, sorted: ListQueues pages of up to 1,000 (the name is the URL's last segment). */
export async function listQueueNames(client: SQSClient, prefix: string, abortSignal: AbortSignal): Promise<string[]> {
  const names = new Set<string>();
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new ListQueuesCommand({
        MaxResults: 1000,
        ...(prefix ? { QueueNamePrefix: prefix } : {}),
        ...(NextToken ? { NextToken } : {}),
      }),
      { abortSignal },
    );
    for (const url of page.QueueUrls ?? []) {
      const name = decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
      if (name.startsWith(prefix)) names.add(name);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return [...names].sort();
}
