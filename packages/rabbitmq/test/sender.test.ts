import { type DriverSendEntry, resolveQueueConfig, UnavailableError } from '@msgport/core/driver';
import { describe, expect, it } from 'vitest';
import { AgeTracker } from '../src/age-tracker.js';
import { DelayedCounter } from '../src/delay-cascade.js';
import type { PublishOutcome, PublishRequest } from '../src/publisher.js';
import { Sender, type SendTarget } from '../src/sender.js';
import { SequenceSource } from '../src/sequence.js';

/** A confirm channel whose confirms are lost while `cut` is set (the broker may still hold the messages). */
class FlakyPublisher {
  cut = false;
  readonly published: string[] = [];

  async publish(request: PublishRequest): Promise<PublishOutcome> {
    this.published.push(String(request.options.messageId));
    if (this.cut) throw new UnavailableError('RabbitMQ did not confirm the message: channel closed');
    return 'confirmed';
  }
}

const target: SendTarget = {
  queue: { id: 'q1', name: 'q', config: resolveQueueConfig('q'), createdAt: 0 },
  brokerQueue: 'ns.q',
  exists: async () => true,
};

const entries = (count: number): DriverSendEntry[] =>
  Array.from({ length: count }, (_, i) => ({ id: `m${i}`, body: `body ${i}`, attributes: {}, delaySeconds: 0 }));

describe('Sender', () => {
  it('publishes the same message ids again when core retries a batch whose confirms were lost', async () => {
    const publisher = new FlakyPublisher();
    const sender = new Sender(publisher, new DelayedCounter(), new SequenceSource(), new AgeTracker());
    const batch = entries(3);
    publisher.cut = true;
    await expect(sender.sendBatch(target, batch)).rejects.toBeInstanceOf(UnavailableError);
    const firstAttempt = [...publisher.published];
    publisher.cut = false;
    publisher.published.length = 0;
    const result = await sender.sendBatch(target, batch);
    expect(publisher.published).toEqual(firstAttempt);
    expect(result.successful.map((sent) => sent.messageId)).toEqual(firstAttempt);
    expect(new Set(firstAttempt).size).toBe(3);
  });

  it('gives another batch of equal entries new message ids', async () => {
    const publisher = new FlakyPublisher();
    const sender = new Sender(publisher, new DelayedCounter(), new SequenceSource(), new AgeTracker());
    const first = await sender.sendBatch(target, entries(2));
    const second = await sender.sendBatch(target, entries(2));
    const ids = [...first.successful, ...second.successful].map((sent) => sent.messageId);
    expect(new Set(ids).size).toBe(4);
  });
});
