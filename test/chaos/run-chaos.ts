import { join } from 'node:path';
import { seededRandom } from '@msgport/test-support';
import type { Cleanup } from '../support/cleanup.js';
import { ClientFleet } from '../support/client-fleet.js';
import { CuttingProxy } from '../support/cutting-proxy.js';
import { detailLines, errorSummary, seconds } from '../support/report.js';
import { type Fault, maxResume, resumeTimes, writeFaultTimeline } from '../support/resume.js';
import { makeRunDirectory } from '../support/run-directory.js';
import { RunWatch } from '../support/run-watch.js';
import { setupQueue } from '../support/setup-queue.js';
import { type ChaosTransport, startChaosBroker } from './chaos-broker.js';

export interface ChaosOptions {
  readonly transport: ChaosTransport;
  readonly messages: number;
  readonly consumers: number;
  readonly seed: number;
  /** Producer rate; the send phase lasts messages / rate seconds. */
  readonly ratePerSecond: number;
  readonly killEverySeconds: number;
  readonly cutEverySeconds: number;
  /** Broker restarts (persistent brokers only), spread evenly over the send phase. */
  readonly restarts: number;
  /** After the producer is done: how long without a newly processed message ends the drain. */
  readonly idleSeconds: number;
  /** Keep the run directory (logs, data) for a post-mortem. */
  readonly keep: boolean;
  readonly progress: (line: string) => void;
}

export interface ChaosResult {
  readonly line: string;
  readonly details: string[];
  readonly passed: boolean;
  readonly sent: number;
  readonly processed: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly redeliveries: number;
  readonly maxResumeSeconds: number;
}

export const MAX_RESUME_SECONDS = 5;

/**
 * One chaos run: a private broker behind a cutting proxy, a producer and `consumers` consumer
 * processes; a consumer SIGKILLed (and replaced) every `killEverySeconds`, every connection cut
 * every `cutEverySeconds`, the broker crashed and restarted `restarts` times while sending.
 */
export async function runChaos(options: ChaosOptions, cleanup: Cleanup): Promise<ChaosResult> {
  const { transport, messages, progress } = options;
  const { dir, logs } = await makeRunDirectory(`msgport-chaos-${transport}`, options.keep, progress, cleanup);
  progress(`chaos ${transport}: starting a private server in ${dir}`);
  const broker = await startChaosBroker(transport, dir);
  cleanup.defer('stop the broker', () => broker.stop());
  const proxy = await CuttingProxy.start(broker.port);
  cleanup.defer('close the proxy', () => proxy.close());
  const queue = `chaos-${process.pid}-${options.seed}`;
  await setupQueue(broker.url(broker.port), queue);

  const fleet = new ClientFleet(logs, { url: broker.url(proxy.port), queue });
  cleanup.defer('kill the clients', () => fleet.killAll());
  for (let i = 0; i < options.consumers; i++) fleet.startConsumer();
  const producer = fleet.startProducer({ messages, ratePerSecond: options.ratePerSecond });
  const watch = new RunWatch(logs);
  const random = seededRandom(options.seed);
  const faults: Fault[] = [];
  const started = Date.now();
  const sendMs = (messages / options.ratePerSecond) * 1000;
  const restartAt = broker.persistent
    ? Array.from({ length: options.restarts }, (_, i) => started + ((i + 1) * sendMs) / (options.restarts + 1))
    : [];
  let nextKill = started + options.killEverySeconds * 1000;
  let nextCut = started + options.cutEverySeconds * 1000;
  let nextReport = started + 5_000;
  let restarting: Promise<void> | undefined;
  const restart = async () => {
    const at = Date.now();
    await broker.restart();
    faults.push({ kind: 'restart', at, from: Date.now() });
    progress(`  broker restarted (down ${seconds((Date.now() - at) / 1000)} s)`);
  };
  const status = () =>
    `  t+${Math.round((Date.now() - started) / 1000)}s sent ${watch.live.sentAt.size}, processed ` +
    `${watch.live.processedAt.size}, consumers killed ${fleet.killed}, cuts ${proxy.cuts}, restarts ` +
    `${faults.filter((f) => f.kind === 'restart').length}, errors ${watch.live.errorCount()}`;

  const producerFinished = () => watch.live.producerDoneAt !== undefined || !producer.running;
  const tick = () => {
    const now = Date.now();
    fleet.replaceDead();
    if (now >= nextKill) {
      nextKill += options.killEverySeconds * 1000;
      void fleet.killConsumer((count) => Math.floor(random() * count));
    }
    // While the broker restarts there is nothing to cut: the restart is the fault.
    if (now >= nextCut && !restarting) {
      nextCut += options.cutEverySeconds * 1000;
      const cut = proxy.cut();
      faults.push({ kind: 'cut', at: now, from: now, detail: `of ${cut} connections` });
    }
    if (!restarting && restartAt[0] !== undefined && now >= restartAt[0]) {
      restartAt.shift();
      restarting = restart().finally(() => {
        restarting = undefined;
      });
    }
    if (now >= nextReport) {
      nextReport += 5_000;
      progress(status());
    }
  };
  // No message sent or processed for this long, the broker up: the clients are stuck.
  const stalled = () => Date.now() - watch.lastProgressAt > Math.max(60, options.idleSeconds * 2) * 1000 && !restarting;
  await watch.until(() => {
    tick();
    return producerFinished() && !restarting && restartAt.length === 0;
  }, stalled);
  await restarting;
  progress(`${status()} — faults stop, draining`);
  await watch.until(
    () => {
      fleet.replaceDead();
      return watch.allSentProcessed && producerFinished();
    },
    () => Date.now() - watch.lastProcessedAt > options.idleSeconds * 1000 || stalled(),
  );
  const endAt = Date.now();
  await fleet.stopAll();

  await writeFaultTimeline(join(dir, 'faults.txt'), faults);
  const ledger = watch.final();
  const resumes = resumeTimes(ledger, faults, endAt);
  const maxResumeSeconds = maxResume(resumes);
  const figures = {
    sent: ledger.sentAt.size,
    processed: ledger.processedAt.size,
    lost: ledger.lost().length,
    duplicates: ledger.duplicateCount,
    redeliveries: ledger.duplicates.redelivery,
    maxResumeSeconds,
  };
  const details = detailLines(ledger, resumes, messages);
  details.unshift(
    `  faults: ${fleet.killed} consumers SIGKILLed, ${proxy.cuts} cuts, ${faults.filter((f) => f.kind === 'restart').length} broker restarts; errors seen ${errorSummary(ledger)}`,
  );
  if (fleet.diedByThemselves.length > 0) {
    details.push(
      `  consumers that died by themselves: ${fleet.diedByThemselves.length} (see *.stderr in the run directory)`,
    );
  }
  if (producer.diedByItself) details.push(`  the producer died by itself: exit ${JSON.stringify(producer.exit)}`);
  const passed =
    figures.sent === messages &&
    figures.lost === 0 &&
    figures.duplicates === figures.redeliveries &&
    maxResumeSeconds <= MAX_RESUME_SECONDS;
  const line =
    `chaos ${transport}: sent ${figures.sent}, processed ${figures.processed}, lost ${figures.lost}, ` +
    `duplicates ${figures.duplicates} (redeliveries ${figures.redeliveries}), max resume ${seconds(maxResumeSeconds)} s`;
  return { line, details, passed, ...figures };
}
