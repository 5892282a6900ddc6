/**
 * FIFO sequence numbers: 20 digits, increasing within a process (epoch ms × 10^6 plus a counter). They
 * order one producer's messages; they are not a global gap-free sequence as on SQS.
 */
export class SequenceSource {
  #last = 0n;

  next(now = Date.now()): string {
    const candidate = BigInt(now) * 1_000_000n;
    this.#last = candidate > this.#last ? candidate : this.#last + 1n;
    return this.#last.toString().padStart(20, '0');
  }
}
