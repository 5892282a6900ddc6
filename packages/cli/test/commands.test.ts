import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './support/run-cli.js';
import { type Place, placesFor, TARGETS } from './support/transports.js';

interface StatsRow {
  name: string;
  visible: number;
  inFlight: number;
  delayed: number;
  dlq: string | null;
  dlqDepth: number | null;
}

for (const target of TARGETS) {
  describe.skipIf(target.unavailable !== '')(`msgport commands on ${target.name} ${target.unavailable}`, () => {
    const [place] = placesFor(target) as [Place];
    const dlq = `${place.names}orders-dlq`;
    const source = `${place.names}orders`;

    beforeAll(async () => {
      const broker = await place.broker();
      await broker.createQueue(dlq);
      await broker.createQueue(source, { deadLetter: { queue: dlq, maxReceiveCount: 5 } });
    });

    // Messages held by the queue. fauxqs (unlike SQS) counts a message received with visibility 0
    // as in flight until its next receive, so after a peek visible + in flight is what is comparable.
    const depth = async (queue: string) => {
      const { visible, inFlight } = await (await place.broker()).queue(queue).getAttributes();
      return visible + inFlight;
    };

    it('stats --json lists the queues with depths and the DLQ depth; the table shows them too', async () => {
      await runCli(['send', place.url, '--queue', source, '{"id":1}']);
      await runCli(['send', place.url, '--queue', dlq, 'dead letter']);
      const json = await runCli(['stats', place.url, '--json', ...(place.names ? ['--prefix', place.names] : [])]);
      expect(json.code).toBe(0);
      const rows = JSON.parse(json.stdout) as StatsRow[];
      expect(rows.find((row) => row.name === source)).toMatchObject({
        visible: 1,
        inFlight: 0,
        delayed: 0,
        dlq,
        dlqDepth: 1,
      });
      expect(rows.find((row) => row.name === dlq)).toMatchObject({ visible: 1, dlq: null });
      const table = await runCli(['stats', place.url, ...(place.names ? ['--prefix', place.names] : [])]);
      expect(table.stdout).toMatch(new RegExp(`│ ${source}\\s+│\\s+1 │\\s+0 │\\s+0 │.*│ ${dlq}\\s+│\\s+1 │`));
    });

    it('send prints the message id; peek shows body and attributes, and each peek is one more receive', async () => {
      const sent = await runCli([
        'send',
        place.url,
        '--queue',
        source,
        '{"id":1}',
        '--attr',
        'type=order.placed',
        '--attr',
        'total:Number=12.5',
      ]);
      expect(sent.code).toBe(0);
      const messageId = sent.stdout.trim();
      expect(messageId).toMatch(/^\S+$/);
      const first = await runCli(['peek', place.url, '--queue', source, '--json']);
      expect(first.code).toBe(0);
      const message = JSON.parse(first.stdout).find((m: { messageId: string }) => m.messageId === messageId);
      expect(message).toMatchObject({
        messageId,
        body: '{"id":1}',
        attributes: { type: { type: 'String', value: 'order.placed' }, total: { type: 'Number', value: '12.5' } },
        receiveCount: 1,
      });
      const second = await runCli(['peek', place.url, '--queue', source]);
      expect(second.stdout).toContain('{"id":1}');
      expect(second.stdout).toMatch(new RegExp(`── ${messageId} .* received 2×`));
      expect(second.stdout).toContain('total (Number): 12.5');
      expect(await depth(source)).toBe(2); // both still there: a peek takes nothing
    });

    it('stats --watch --json prints one array per refresh until Ctrl-C, then exits 0', async () => {
      const prefix = place.names ? ['--prefix', place.names] : [];
      const watch = startCli(['stats', place.url, '--watch', '--interval', '0.3', '--json', ...prefix]);
      const output = await watch.waitFor(/(\[.*\]\n){2}/);
      watch.child.kill('SIGINT');
      const result = await watch.done;
      expect(result.code).toBe(0);
      const first = JSON.parse(output.split('\n')[0] as string) as StatsRow[];
      expect(first.map((row) => row.name)).toContain(source);
    });

    it('stats --prefix leaves other queues out', async () => {
      const result = await runCli(['stats', place.url, '--json', '--prefix', `${place.names}orders-`]);
      expect((JSON.parse(result.stdout) as StatsRow[]).map((row) => row.name)).toEqual([dlq]);
    });

    it('redrive moves the DLQ back to its source queue and says how many', async () => {
      await runCli(['send', place.url, '--queue', dlq, 'second dead letter']);
      expect(await depth(dlq)).toBe(2);
      const result = await runCli(['redrive', place.url, '--queue', dlq]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(`redrove 2 messages from "${dlq}" to "${source}"`);
      expect(await depth(dlq)).toBe(0);
      expect(await depth(source)).toBe(4);
    });

    it('redrive --to picks the destination', async () => {
      const other = `${place.names}other`;
      await (await place.broker()).createQueue(other);
      await runCli(['send', place.url, '--queue', dlq, 'to elsewhere']);
      const result = await runCli(['redrive', place.url, '--queue', dlq, '--to', other]);
      expect(result.stdout.trim()).toBe(`redrove 1 messages from "${dlq}" to "${other}"`);
      expect(await depth(other)).toBe(1);
    });

    it('purge --yes empties the queue', async () => {
      const result = await runCli(['purge', place.url, '--queue', source, '--yes']);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(`purged "${source}" (4 messages)`);
      await expect.poll(() => depth(source), { timeout: 10_000 }).toBe(0);
    });

    it('a missing queue is QueueDoesNotExist, exit 1', async () => {
      const result = await runCli(['peek', place.url, '--queue', `${place.names}missing`]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^msgport: QueueDoesNotExist: /);
    });
  });
}
