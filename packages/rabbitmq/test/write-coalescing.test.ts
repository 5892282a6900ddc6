import type { ChannelModel } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { coalesceWrites } from '../src/write-coalescing.js';

/** A socket stand-in that records what reaches it. */
function fakeSocket() {
  const log: string[] = [];
  const socket = {
    write: (chunk: string) => {
      log.push(`write ${chunk}`);
      return true;
    },
    cork: () => log.push('cork'),
    uncork: () => log.push('uncork'),
  };
  return { socket, log, model: { connection: { stream: socket } } as unknown as ChannelModel };
}

describe('coalesceWrites: the frames written together leave in one system call', () => {
  it('corks at the first write and uncorks once the synchronous work is done', async () => {
    const { socket, log, model } = fakeSocket();
    coalesceWrites(model);
    socket.write('a');
    socket.write('b');
    socket.write('c');
    expect(log).toEqual(['cork', 'write a', 'write b', 'write c']);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(log.at(-1)).toBe('uncork');
    socket.write('d');
    expect(log.slice(-2)).toEqual(['cork', 'write d']);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(log.filter((entry) => entry === 'uncork')).toHaveLength(2);
  });

  it('passes the write’s result through (backpressure) and leaves a connection without a socket alone', () => {
    const { socket, model } = fakeSocket();
    socket.write = () => false;
    coalesceWrites(model);
    expect(socket.write('x')).toBe(false);
    expect(() => coalesceWrites({ connection: {} } as unknown as ChannelModel)).not.toThrow();
  });
});
