import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** A full garbage collection: `global.gc` under `--expose-gc`, else the same function switched on at run time. */
export function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
  gc();
}

/** Bytes the process holds for JavaScript after a full collection: the heap in use plus array buffers. */
export function liveBytes(): number {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
