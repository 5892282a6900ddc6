import { describe, expect, it } from 'vitest';
import { eachEntry, eachEntryAsync, ReceiptHandleIsInvalidError, UnavailableError } from '../../src/driver/index.js';

const entries = ['a', 'bad', 'c'].map((id) => ({ id }));

describe('eachEntry', () => {
  it('a bad entry fails alone with its code; the others succeed in order', () => {
    const result = eachEntry(entries, (entry) => {
      if (entry.id === 'bad') throw new ReceiptHandleIsInvalidError('no such handle');
      return { id: entry.id };
    });
    expect(result.successful).toEqual([{ id: 'a' }, { id: 'c' }]);
    expect(result.failed).toEqual([
      { id: 'bad', code: 'ReceiptHandleIsInvalid', message: 'no such handle', senderFault: true },
    ]);
  });

  it('a retryable failure is not the sender fault', () => {
    const result = eachEntry([{ id: 'x' }], () => {
      throw new UnavailableError('connection lost');
    });
    expect(result.failed[0]).toMatchObject({ code: 'Unavailable', senderFault: false });
  });

  it('an error that is no MsgportError fails the whole call', () => {
    expect(() =>
      eachEntry(entries, () => {
        throw new TypeError('bug');
      }),
    ).toThrow(TypeError);
  });
});

describe('eachEntryAsync', () => {
  it('classifies raw errors and keeps the successes', async () => {
    const result = await eachEntryAsync(
      entries,
      async (entry) => {
        if (entry.id === 'bad') throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
        return { id: entry.id, messageId: `m-${entry.id}` };
      },
      () => 'Unavailable',
    );
    expect(result.successful.map((s) => s.messageId)).toEqual(['m-a', 'm-c']);
    expect(result.failed).toEqual([{ id: 'bad', code: 'Unavailable', message: 'reset', senderFault: false }]);
  });

  it('when nothing went through for transport reasons, the first error is thrown so core can retry', async () => {
    const first = new UnavailableError('down');
    await expect(
      eachEntryAsync(entries, async (entry) => {
        throw entry.id === 'a' ? first : new Error('also down');
      }),
    ).rejects.toBe(first);
  });

  it('sender faults stay per entry even when every entry failed', async () => {
    const result = await eachEntryAsync([{ id: 'x' }], async () => {
      throw new ReceiptHandleIsInvalidError('stale');
    });
    expect(result.failed).toEqual([{ id: 'x', code: 'ReceiptHandleIsInvalid', message: 'stale', senderFault: true }]);
  });

  it('an unclassified raw error is Internal', async () => {
    const result = await eachEntryAsync([{ id: 'ok' }, { id: 'x' }], async (entry) => {
      if (entry.id === 'x') throw 'weird';
      return entry;
    });
    expect(result.failed).toEqual([{ id: 'x', code: 'Internal', message: 'weird', senderFault: false }]);
  });
});
