import { EventEmitter } from 'node:events';
import type { ConfirmChannel } from 'amqplib';
import { describe, expect, it } from 'vitest';
import type { ConnectionManager } from '../src/connection.js';
import type { Link } from '../src/link.js';
import { Publisher } from '../src/publisher.js';

type Confirm = (error: unknown) => void;

/** A confirm channel whose confirms the test gives by hand. */
class FakeConfirmChannel extends EventEmitter {
  readonly confirms: Confirm[] = [];
  closed = false;

  publish(_exchange: string, _key: string, _content: Buffer, _options: object, confirm: Confirm): boolean {
    this.confirms.push(confirm);
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // amqplib fails the confirms still waiting when a channel closes.
    for (const confirm of this.confirms.splice(0)) confirm(new Error('channel closed'));
    this.emit('close');
  }
}

function fakeConnection(): { connection: ConnectionManager; channels: FakeConfirmChannel[] } {
  const channels: FakeConfirmChannel[] = [];
  const link = {
    epoch: 1,
    alive: true,
    node: '127.0.0.1:5672',
    recovered: false,
    async openConfirmChannel() {
      const channel = new FakeConfirmChannel();
      channels.push(channel);
      return channel as unknown as ConfirmChannel;
    },
  } as unknown as Link;
  const connection = { ready: async () => link } as unknown as ConnectionManager;
  return { connection, channels };
}

const request = (messageId: string) => ({
  exchange: '',
  routingKey: 'q',
  content: Buffer.from('body'),
  options: { messageId },
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

describe('Publisher', () => {
  it('a nacked publish fails Unavailable and the next publish goes out on a fresh channel', async () => {
    const { connection, channels } = fakeConnection();
    const publisher = new Publisher(connection, 30_000);
    const first = publisher.publish(request('a'));
    await until(() => channels[0]?.confirms.length === 1);
    const waiting = publisher.publish(request('b'));
    await until(() => channels[0]?.confirms.length === 2);
    channels[0]?.confirms.shift()?.(new Error('message nacked'));
    await expect(first).rejects.toMatchObject({ code: 'Unavailable', retryable: true });
    // The other publish of the refusing channel fails with it (it may be sent again).
    await expect(waiting).rejects.toMatchObject({ code: 'Unavailable' });
    expect(channels[0]?.closed).toBe(true);

    const next = publisher.publish(request('c'));
    await until(() => channels[1]?.confirms.length === 1);
    channels[1]?.confirms.shift()?.(null);
    await expect(next).resolves.toBe('confirmed');
    expect(channels).toHaveLength(2);
    publisher.close();
  });

  it('confirmed publishes keep using one channel', async () => {
    const { connection, channels } = fakeConnection();
    const publisher = new Publisher(connection, 30_000);
    for (const id of ['a', 'b', 'c']) {
      const sent = publisher.publish(request(id));
      await until(() => channels[0]?.confirms.length === 1);
      channels[0]?.confirms.shift()?.(null);
      await expect(sent).resolves.toBe('confirmed');
    }
    expect(channels).toHaveLength(1);
    publisher.close();
  });
});
