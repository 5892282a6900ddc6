import { ManualClock, type Queue } from '@msgport/core';
import { seededRandom } from '@msgport/test-support';
import { describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src/index.js';

/** Whole numbers below `below` from the shared seeded generator, so a failing seed replays exactly. */
function random(seed: number): (below: number) => number {
  const next = seededRandom(seed);
  return (below) => Math.floor(next() * below);
}

/** What the queue should hold, kept the plain way: a list of messages with their times. */
interface Modelled {
  readonly body: string;
  readonly group: string | undefined;
  readonly sentAt: number;
  /** Delayed until, or in flight until (after a receive). */
  visibleAt: number;
  received: boolean;
  handle: string | undefined;
  deleted: boolean;
}

const RETENTION_SECONDS = 60;

class Model {
  readonly messages: Modelled[] = [];

  live(now: number): Modelled[] {
    return this.messages.filter((m) => !m.deleted && m.sentAt + RETENTION_SECONDS * 1000 > now);
  }

  state(m: Modelled, now: number): 'delayed' | 'inFlight' | 'visible' {
    if (m.visibleAt <= now) return 'visible';
    return m.received ? 'inFlight' : 'delayed';
  }

  counts(now: number) {
    const counts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const m of this.live(now)) counts[this.state(m, now)]++;
    return counts;
  }

  /** FIFO: the group's undeleted messages in send order, when none is in flight. */
  deliverable(group: string | undefined, now: number): Modelled[] | undefined {
    const members = this.live(now).filter((m) => m.group === group);
    if (members.some((m) => this.state(m, now) === 'inFlight')) return undefined;
    return members;
  }
}

/**
 * Random sends, receives, deletes (current and stale handles, any order), visibility changes and
 * clock steps against a plain model: after every step the counts, the oldest message and every
 * delivery agree with SQS semantics. Standard queues with fair-queue groups, and FIFO queues.
 */
async function runScenario(seed: number, fifo: boolean, steps: number): Promise<void> {
  const pick = random(seed);
  const clock = new ManualClock();
  const broker = createMemoryBroker({ clock });
  const queue: Queue = await broker.createQueue(fifo ? 'model.fifo' : 'model', {
    ...(fifo ? { fifo: true } : {}),
    retentionSeconds: RETENTION_SECONDS,
    visibilityTimeoutSeconds: 5,
  });
  const model = new Model();
  const byBody = new Map<string, Modelled>();
  const handles: string[] = [];
  const groups = fifo ? ['a', 'b', 'c', 'd'] : [undefined, undefined, 'a', 'b'];
  let sent = 0;
  for (let step = 0; step < steps; step++) {
    const now = clock.now();
    const action = pick(100);
    if (action < 30) {
      const count = 1 + pick(10);
      const entries = Array.from({ length: count }, (_, i) => {
        const group = groups[pick(groups.length)];
        const delay = fifo || pick(3) > 0 ? 0 : pick(10);
        const body = `m${sent++}`;
        const modelled = {
          body,
          group,
          sentAt: now,
          visibleAt: now + delay * 1000,
          received: false,
          handle: undefined,
          deleted: false,
        };
        model.messages.push(modelled);
        byBody.set(body, modelled);
        return {
          id: `e${i}`,
          body,
          ...(group !== undefined ? { groupId: group } : {}),
          ...(fifo ? { deduplicationId: body } : { delaySeconds: delay }),
        };
      });
      const result = await queue.sendBatch(entries);
      expect(result.failed).toEqual([]);
    } else if (action < 60) {
      const max = 1 + pick(10);
      const visibility = pick(4) === 0 ? 0 : 1 + pick(8);
      const before = model.live(now);
      const readyBefore = before.filter((m) => model.state(m, now) === 'visible');
      const eligibleGroups = new Set(
        readyBefore.filter((m) => model.deliverable(m.group, now)?.[0] === m).map((m) => m.group),
      );
      const received = await queue.receive({
        maxMessages: max,
        visibilityTimeoutSeconds: visibility,
        waitTimeSeconds: 0,
      });
      expect(new Set(received.map((m) => m.body)).size).toBe(received.length);
      for (const message of received) {
        const modelled = byBody.get(message.body) as Modelled;
        expect(readyBefore).toContain(modelled);
        expect(message.groupId).toBe(modelled.group);
      }
      if (fifo) {
        for (const group of new Set(received.map((m) => m.groupId))) {
          const mine = received.filter((m) => m.groupId === group).map((m) => m.body);
          const expected = (model.deliverable(group, now) ?? []).slice(0, mine.length).map((m) => m.body);
          expect(mine).toEqual(expected);
        }
        if (eligibleGroups.size > 0) expect(received.length).toBeGreaterThan(0);
      } else {
        expect(received.length).toBe(Math.min(max, readyBefore.length));
      }
      for (const message of received) {
        const modelled = byBody.get(message.body) as Modelled;
        modelled.received = true;
        modelled.visibleAt = now + visibility * 1000;
        modelled.handle = message.receiptHandle;
        handles.push(message.receiptHandle);
      }
    } else if (action < 80 && handles.length > 0) {
      // Any handle, newest or oldest first: current ones delete, stale ones are no-ops.
      const handle = handles.splice(pick(2) === 0 ? handles.length - 1 : pick(handles.length), 1)[0] as string;
      await queue.delete(handle);
      const owner = model.live(now).find((m) => m.handle === handle);
      if (owner) owner.deleted = true;
    } else if (action < 88 && handles.length > 0) {
      const handle = handles[pick(handles.length)] as string;
      const seconds = pick(6);
      const owner = model.live(now).find((m) => m.handle === handle);
      const outcome = await queue.changeVisibility(handle, seconds).then(
        () => 'ok',
        (error: { code: string }) => error.code,
      );
      if (!owner) expect(outcome).toBe('ReceiptHandleIsInvalid');
      else if (model.state(owner, now) !== 'inFlight') expect(outcome).toBe('MessageNotInflight');
      else {
        expect(outcome).toBe('ok');
        owner.visibleAt = now + seconds * 1000;
      }
    } else {
      await clock.advance(pick(5) === 0 ? 20 + pick(40) : pick(4));
    }
    const at = clock.now();
    const stats = await queue.getAttributes();
    expect({ visible: stats.visible, inFlight: stats.inFlight, delayed: stats.delayed }).toEqual(model.counts(at));
    const oldest = Math.min(...model.live(at).map((m) => m.sentAt));
    expect(stats.oldestMessageAgeSeconds).toBe(Number.isFinite(oldest) ? Math.floor((at - oldest) / 1000) : 0);
  }
  await broker.close();
}

describe('memory queue against a plain model (random operations, manual clock)', () => {
  for (const fifo of [false, true]) {
    it(`${fifo ? 'FIFO' : 'standard'} queues: counts, age, deliveries and handles stay right`, {
      timeout: 60_000,
    }, async () => {
      for (let seed = 1; seed <= 10; seed++) await runScenario(seed * 7919, fifo, 300);
    });
  }
});
