import { describe, expect, it } from 'vitest';
import { runCli, startCli } from './support/run-cli.js';
import { type Place, placesFor, type Target, target, unavailable } from './support/transports.js';

const PAIRS: readonly [Target, Target][] = [
  [target('redis'), target('sqs')],
  [target('rabbitmq'), target('redis')],
  [target('sqs'), target('rabbitmq')],
];

async function held(place: Place, queue: string): Promise<{ visible: number; inFlight: number }> {
  const { visible, inFlight } = await (await place.broker()).queue(queue).getAttributes();
  return { visible, inFlight };
}

async function fill(place: Place, queue: string, count: number): Promise<void> {
  const broker = await place.broker();
  const entries = Array.from({ length: count }, (_, i) => ({
    id: `e${i}`,
    body: `message ${i}`,
    attributes: { index: i, kind: 'moved' },
  }));
  const result = await broker.queue(queue).sendBatch(entries);
  expect(result.failed).toEqual([]);
}

for (const [fromTarget, toTarget] of PAIRS) {
  const missing = unavailable(fromTarget, toTarget);
  describe.skipIf(missing !== '')(`msgport move ${fromTarget.name} → ${toTarget.name} ${missing}`, () => {
    const [from, to] = placesFor(fromTarget, toTarget) as [Place, Place];

    it('creates the destination with the same settings, moves bodies and attributes, prints the count', async () => {
      const queue = `${from.names}jobs`;
      const toQueue = `${to.names}jobs`;
      const dlq = `${from.names}jobs-dlq`;
      await (await from.broker()).createQueue(dlq);
      await (await from.broker()).createQueue(queue, {
        visibilityTimeoutSeconds: 45,
        retentionSeconds: 7200,
        deadLetter: { queue: dlq, maxReceiveCount: 4 },
      });
      await fill(from, queue, 25);
      const result = await runCli(['move', from.url, to.url, '--queue', queue, '--to-queue', toQueue]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^moved 25 messages from "${queue}" on .* to "${toQueue}" on `));
      expect(result.stdout).not.toContain('secretAccessKey=test');
      expect(result.stderr).toContain(`the dead-letter queue "${dlq}" does not exist on the destination`);
      const created = await (await to.broker()).queue(toQueue).getAttributes();
      expect(created.config).toMatchObject({ visibilityTimeoutSeconds: 45, retentionSeconds: 7200 });
      expect(created.config.deadLetter).toBeUndefined();
      expect(await held(from, queue)).toEqual({ visible: 0, inFlight: 0 });
      const moved = await (await to.broker()).queue(toQueue).receive({ maxMessages: 10, visibilityTimeoutSeconds: 60 });
      expect(moved.length).toBeGreaterThan(0);
      for (const message of moved) {
        const index = Number(message.attributes.index?.stringValue);
        expect(message.body).toBe(`message ${index}`);
        expect(message.attributes.kind?.stringValue).toBe('moved');
      }
    });

    it('copies the redrive policy when the dead-letter queue exists on the destination', async () => {
      const queue = `${from.names}withdlq`;
      const dlq = `${from.names}withdlq-dlq`;
      await (await from.broker()).createQueue(dlq);
      await (await from.broker()).createQueue(queue, { deadLetter: { queue: dlq, maxReceiveCount: 3 } });
      await (await to.broker()).createQueue(dlq);
      await fill(from, queue, 3);
      const result = await runCli(['move', from.url, to.url, '--queue', queue]);
      expect(result.stdout).toMatch(/^moved 3 messages/);
      expect(result.stderr).not.toContain('does not exist on the destination');
      const created = await (await to.broker()).queue(queue).getAttributes();
      expect(created.config.deadLetter).toEqual({ queue: dlq, maxReceiveCount: 3 });
    });

    it('Ctrl-C finishes the batch in flight and stops with both sides consistent; a rerun moves the rest', async () => {
      const queue = `${from.names}big`;
      await (await from.broker()).createQueue(queue);
      await fill(from, queue, 60);
      const first = startCli(['move', from.url, to.url, '--queue', queue, '--rate', '10']);
      await expect
        .poll(
          async () =>
            (await to.broker())
              .queue(queue)
              .getAttributes()
              .then(
                (a) => a.visible,
                () => 0,
              ),
          {
            timeout: 20_000,
            interval: 200,
          },
        )
        .toBeGreaterThanOrEqual(10);
      first.child.kill('SIGINT');
      const stopped = await first.done;
      expect(stopped.code).toBe(0);
      const line = /^interrupted: moved (\d+) messages from .*; run the same command again to continue$/m.exec(
        stopped.stdout,
      );
      expect(line, stopped.stdout + stopped.stderr).not.toBeNull();
      const movedFirst = Number(line?.[1]);
      expect(movedFirst).toBeLessThan(60);
      // Nothing is left in flight at the source, and every message is on exactly one side.
      const source = await held(from, queue);
      expect(source.inFlight).toBe(0);
      expect(source.visible).toBe(60 - movedFirst);
      expect((await held(to, queue)).visible).toBe(movedFirst);

      const rerun = await runCli(['move', from.url, to.url, '--queue', queue]);
      expect(rerun.stdout).toMatch(new RegExp(`^moved ${60 - movedFirst} messages`));
      expect(await held(from, queue)).toEqual({ visible: 0, inFlight: 0 });
      expect((await held(to, queue)).visible).toBe(60);
    });
  });
}

describe.skipIf(unavailable(target('redis')) !== '')('msgport move --rate', () => {
  const [from, to] = placesFor(target('redis'), target('redis')) as [Place, Place];

  it('keeps to the rate (20 messages at 10/s take about 2 s)', async () => {
    await (await from.broker()).createQueue('paced');
    await fill(from, 'paced', 20);
    const started = Date.now();
    const result = await runCli(['move', from.url, to.url, '--queue', 'paced', '--rate', '10']);
    expect(result.stdout).toMatch(/^moved 20 messages/);
    // The last batch is due at 2 s; the bound is loose on purpose (this checks pacing, not speed).
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  });
});
