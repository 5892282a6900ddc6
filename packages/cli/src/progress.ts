import cliProgress from 'cli-progress';
import type { CliIo } from './context.js';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/**
 * A progress bar with rate and ETA on stderr when it is a terminal; nothing otherwise (the
 * command's final count line on stdout is the record either way).
 */
export function startProgress(io: CliIo, label: string, total: number): Progress {
  if (!io.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: `${label} {bar} {percentage}% | {value}/{total} | {speed}/s | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let max = Math.max(total, 1);
  bar.start(max, 0, { speed: 0 });
  return {
    update(done) {
      if (done > max) {
        max = done;
        bar.setTotal(max);
      }
      const seconds = (Date.now() - started) / 1000;
      bar.update(done, { speed: seconds > 0 ? Math.round(done / seconds) : 0 });
    },
    stop() {
      bar.stop();
    },
  };
}
