import type { BenchSettings } from '../args.js';
import type { Emit } from './workload.js';

/**
 * The scale section: how the send → receive → delete cycle holds up as backlogs, FIFO groups and
 * queues grow (each row a ratio to the empty case in the same run), `getAttributes()` on a deep
 * queue, and bytes per queued message. Memory rows always; Redis and BullMQ rows when the server answers.
 */
export async function scaleRows(settings: BenchSettings, emit: Emit, redisUrl: string): Promise<void> {
  // `--only scale` runs every part; `--only scale-memory` or `--only scale-redis` one of them.
  const parts = settings.only.filter((name) => name.startsWith('scale-'));
  const wanted = (part: string) => parts.length === 0 || parts.includes(`scale-${part}`);
  if (wanted('memory')) {
    const { memoryScaleRows } = await import('./memory-scale.js');
    await memoryScaleRows(settings, emit);
  }
  if (!wanted('redis')) return;
  try {
    const { redisScaleRows } = await import('./redis-scale.js');
    await redisScaleRows(settings, emit, redisUrl);
  } catch (error) {
    console.log(`redis scale: not measured (${error instanceof Error ? error.message : String(error)})`);
  }
}
