import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { messageIdOf, messageKey } from '../src/message-key.js';

/** The definition: the UUID's 16 bytes in base64url; anything that is no lower-case UUID gets `~`. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const reference = (id: string) =>
  UUID.test(id) ? Buffer.from(id.replaceAll('-', ''), 'hex').toString('base64url') : `~${id}`;

describe('message keys', () => {
  it('are the base64url of the UUID bytes, and map back to the id', () => {
    for (let i = 0; i < 1000; i++) {
      const id = randomUUID();
      expect(messageKey(id)).toBe(reference(id));
      expect(messageIdOf(messageKey(id))).toBe(id);
    }
  });

  it('keep anything that is no lower-case UUID apart with `~`', () => {
    const id = randomUUID();
    const others = [
      '',
      'not-a-uuid',
      id.toUpperCase(),
      id.replace('-', 'x'),
      `${id.slice(0, 35)}g`,
      `${id.slice(0, 8)}0${id.slice(9)}`,
      `${id}0`,
      'é'.repeat(36),
    ];
    for (const other of others) {
      expect(messageKey(other)).toBe(`~${other}`);
      expect(messageIdOf(messageKey(other))).toBe(other);
    }
  });
});
