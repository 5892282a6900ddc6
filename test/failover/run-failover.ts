import { join } from 'node:path';
import { redactUrl } from '@msgport/core';
import type { Cleanup } from '../support/cleanup.js';
import { ClientFleet } from '../support/client-fleet.js';
import { sleep } from '../support/free-port.js';
import { detailLines, errorSummary, seconds } from '../support/report.js';
import { type Fault, maxResume, resumeTimes, writeFaultTimeline } from '../support/resume.js';
import { makeRunDirectory } from '../support/run-directory.js';
import { RunWatch } from '../support/run-watch.js';
import { setupQueue } from '../support/setup-queue.js';
import type { FailoverTransport } from './failover-cluster.js';
import { probeUrl } from './probe-url.js';
import { startCluster } from './start-cluster.js';

export interface FailoverOptions {
  readonly transport: FailoverTransport;
  readonly messages: number;
  readonly ratePerSecond: number;
  /** Start the killed node again this many seconds after the kill; undefined: leave it dead. */
  readonly restartAfterSeconds: number | undefined;
  readonly idleSeconds: number;
  readonly keep: boolean;
  readonly progress: (line: string) => void;
}

export interface FailoverResult {
  readonly line: string;
  readonly details: string[];
  readonly passed: boolean;
  readonly sent: number;
  readonly processed: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly maxResumeSeconds: number;
  readonly errors: number;
  /** Messages still unprocessed when the clients went idle with the killed node down (see `waitForHeldMessages`). */
  readonly heldByKilledNode: number;
  /** Set when the transport rejected the client URL: nothing was run. */
  readonly rejected: string | undefined;
}

export const MAX_FAILOVER_RESUME_SECONDS = 10;

/**
 * One failover run: a private cluster, one producer and one consumer process on the client URL;
 * a third of the way in, the node that leads the queue (and holds the clients' connections) is
 * SIGKILLed, and optionally started again later.
 */
export async function runFailover(options: FailoverOptions, cleanup: Cleanup): Promise<FailoverResult> {
  const { transport, messages, progress } = options;
  const { dir, logs } = await makeRunDirectory(`msgport-failover-${transport}`, options.keep, progress, cleanup);
  progress(`failover ${transport}: starting a private cluster in ${dir}`);
  const cluster = await startCluster(transport, dir);
  cleanup.defer('stop the cluster', () => cluster.stop());
  const queue = `failover-${process.pid}`;
  await setupQueue(cluster.setupUrl, queue);
  const rejected = await probeUrl(cluster.clientUrl, queue);
  if (rejected) {
    const line = `failover ${transport}: sent 0, processed 0, lost 0, duplicates 0, max resume 0.0 s, errors 1 (${rejected.split(':')[0]})`;
    return {
      line,
      details: [`  the transport rejects the client URL ${redactUrl(cluster.clientUrl)}: ${rejected}`],
      passed: false,
      sent: 0,
      processed: 0,
      lost: 0,
      duplicates: 0,
      maxResumeSeconds: 0,
      errors: 1,
      heldByKilledNode: 0,
      rejected,
    };
  }

  const victim = await cluster.leaderOf(queue);
  const fleet = new ClientFleet(logs, { url: cluster.clientUrl, queue, concurrency: 5 });
  cleanup.defer('kill the clients', () => fleet.killAll());
  fleet.startConsumer();
  const producer = fleet.startProducer({ messages, ratePerSecond: options.ratePerSecond });
  const watch = new RunWatch(logs);
  const faults: Fault[] = [];
  const details: string[] = [];
  const started = Date.now();
  const producerFinished = () => watch.live.producerDoneAt !== undefined || !producer.running;
  // No message sent or processed for this long: the clients are stuck (errors are no progress).
  const stalled = () => Date.now() - watch.lastProgressAt > options.idleSeconds * 2_000;

  // rabbitmqctl takes seconds: the leader is looked up before, the state described while the
  // clients run, so the kill happens the moment a third is sent.
  await watch.until(() => watch.live.sentAt.size >= messages / 6 || producerFinished(), stalled);
  const before = cluster.describe(queue).catch((error: Error) => `unknown (${error.message.split('\n')[0]})`);
  await watch.until(() => watch.live.sentAt.size >= messages / 3 || producerFinished(), stalled);
  if (producerFinished()) throw new Error('the producer finished before the kill: lower --rate');
  const killedAt = Date.now();
  await victim.kill();
  faults.push({ kind: 'kill-node', at: killedAt, from: killedAt, detail: victim.name });
  details.push(`  before the kill: ${await before}`);
  progress(
    `  t+${Math.round((killedAt - started) / 1000)}s SIGKILLed ${victim.name} after ${watch.live.sentAt.size} sends`,
  );
  /** Starts the killed node again and records it as a fault; `undefined` (and a detail line) if it failed. */
  const restartVictim = async (): Promise<number | undefined> => {
    try {
      await victim.restart();
    } catch (error) {
      details.push(`  the restart of ${victim.name} failed: ${(error as Error).message.split('\n')[0]}`);
      return undefined;
    }
    const restartedAt = Date.now();
    faults.push({ kind: 'restart-node', at: restartedAt, from: restartedAt, detail: victim.name });
    progress(`  ${victim.name} is back`);
    return restartedAt;
  };
  const restarting = (async () => {
    if (options.restartAfterSeconds === undefined) return;
    await sleep(options.restartAfterSeconds * 1000);
    await restartVictim();
  })();
  const afterKill = sleep(3_000).then(async () =>
    details.push(`  3 s after the kill: ${await cluster.describe(queue)}`),
  );

  /** Set when held messages came back only after the remedy (see `FailoverCluster.releaseOrphans`). */
  let orphansReleased = false;
  /** Waits until everything sent was processed, or nothing was for `idleSeconds` since `since`; true when all was. */
  const allProcessedAfter = async (since: number): Promise<boolean> => {
    await watch.until(
      () => watch.allSentProcessed,
      () => Date.now() - Math.max(watch.lastProcessedAt, since) > options.idleSeconds * 1000,
    );
    return watch.allSentProcessed;
  };
  /**
   * A quorum queue keeps the messages it had handed to a consumer on the killed node until that node
   * is back (RabbitMQ marks the consumer suspected down; it does not return them): they are not lost,
   * they wait. When the clients went idle with messages unprocessed and the node was left dead, it is
   * started again and the run waits for them. Returns how many were waiting.
   */
  const waitForHeldMessages = async (): Promise<number> => {
    if (options.restartAfterSeconds !== undefined || !producerFinished() || watch.allSentProcessed) return 0;
    const waiting = watch.live.sentAt.size - watch.live.processedAt.size;
    progress(`  ${waiting} messages unprocessed with the clients idle: starting ${victim.name} again`);
    const restartedAt = await restartVictim();
    if (restartedAt === undefined) return waiting;
    const allBack = await allProcessedAfter(restartedAt);
    details.push(
      `  ${waiting} messages were unprocessed while ${victim.name} was down; ${allBack ? 'all' : 'not all'} were processed after it was started again`,
    );
    if (!allBack && cluster.releaseOrphans) {
      details.push(`  still held after the restart: ${await cluster.describe(queue)}`);
      const releasedAt = Date.now();
      details.push(`  ${await cluster.releaseOrphans(queue)}`);
      faults.push({ kind: 'restart-leader', at: releasedAt, from: releasedAt, detail: 'the remedy for held messages' });
      orphansReleased = await allProcessedAfter(releasedAt);
      details.push(`  ${orphansReleased ? 'all' : 'not all'} were processed after that`);
    }
    return waiting;
  };

  let nextReport = Date.now() + 5_000;
  await watch.until(
    () => {
      fleet.replaceDead();
      if (Date.now() >= nextReport) {
        nextReport += 5_000;
        progress(
          `  t+${Math.round((Date.now() - started) / 1000)}s sent ${watch.live.sentAt.size}, processed ${watch.live.processedAt.size}, errors ${watch.live.errorCount()}`,
        );
      }
      return producerFinished() && watch.allSentProcessed;
    },
    () => (producerFinished() && Date.now() - watch.lastProcessedAt > options.idleSeconds * 1000) || stalled(),
  );
  const heldByKilledNode = await waitForHeldMessages();
  const endAt = Date.now();
  await Promise.all([restarting, afterKill]);
  details.push(`  at the end: ${await cluster.describe(queue)}`);
  await fleet.stopAll();

  await writeFaultTimeline(join(dir, 'faults.txt'), faults);
  const ledger = watch.final();
  const resumes = resumeTimes(ledger, faults, endAt);
  // Messages the broker kept for dead consumers after the node was back wait on the broker, not on
  // msgport: the restart's resume is reported but not held against the run when the remedy freed them.
  const maxResumeSeconds = maxResume(
    orphansReleased ? resumes.filter(({ fault }) => fault.kind !== 'restart-node') : resumes,
  );
  details.push(...detailLines(ledger, resumes, messages));
  const restarted = fleet.diedByThemselves.length + (producer.diedByItself ? 1 : 0);
  if (restarted > 0)
    details.push(`  client processes that died by themselves: ${restarted} (see *.stderr in the run directory)`);
  const untyped = ledger.nonRetryableErrors();
  if (untyped.length > 0)
    details.push(`  errors that are not typed and retryable: ${untyped.map((e) => e.code).join(', ')}`);
  const figures = {
    sent: ledger.sentAt.size,
    processed: ledger.processedAt.size,
    lost: ledger.lost().length,
    duplicates: ledger.duplicateCount,
    errors: ledger.errorCount(),
  };
  const passed =
    figures.sent === messages &&
    figures.lost === 0 &&
    maxResumeSeconds <= MAX_FAILOVER_RESUME_SECONDS &&
    restarted === 0 &&
    untyped.length === 0;
  const line =
    `failover ${transport}: sent ${figures.sent}, processed ${figures.processed}, lost ${figures.lost}, ` +
    `duplicates ${figures.duplicates}, max resume ${seconds(maxResumeSeconds)} s, errors ${errorSummary(ledger)}` +
    (heldByKilledNode > 0 ? `, held by the killed node until it was back ${heldByKilledNode}` : '') +
    (orphansReleased ? ' (RabbitMQ kept them after it was back, until the queue leader restarted)' : '');
  return { line, details, passed, ...figures, heldByKilledNode, maxResumeSeconds, rejected: undefined };
}
