import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cleanup } from './cleanup.js';

/**
 * The temp directory of one run (servers' data, `logs/` of the clients), removed by the cleanup
 * unless `keep` asks to keep it for a post-mortem.
 */
export async function makeRunDirectory(
  prefix: string,
  keep: boolean,
  progress: (line: string) => void,
  cleanup: Cleanup,
): Promise<{ dir: string; logs: string }> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  cleanup.defer('remove the run directory', () =>
    keep ? progress(`run directory kept: ${dir}`) : rm(dir, { recursive: true, force: true }),
  );
  const logs = join(dir, 'logs');
  await mkdir(logs);
  return { dir, logs };
}
