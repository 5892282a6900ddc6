/**
 * The cli project's own global setup (after those of the redis, rabbitmq and sqs projects, which
 * check the shared servers and start fauxqs): the tests spawn the built `msgport` bin, so build it
 * and the packages it runs on when a dist/ is missing or older than its src/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../..', import.meta.url));

function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export default function setup(): void {
  const packages = ['core', 'memory', 'redis', 'rabbitmq', 'sns', 'sqs', 'cli'];
  const stale = packages.filter((name) => {
    const dir = join(root, 'packages', name);
    return newest(join(dir, 'dist')) < newest(join(dir, 'src'));
  });
  if (stale.length === 0) return;
  console.info(`[cli] building ${stale.join(', ')} (the tests run the built msgport bin)`);
  execFileSync('pnpm', ['--filter', '@msgport/cli...', 'build'], { cwd: root, stdio: 'inherit' });
}
