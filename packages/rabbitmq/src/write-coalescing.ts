import type { ChannelModel } from 'amqplib';

interface CorkableStream {
  write(...args: unknown[]): boolean;
  cork(): void;
  uncork(): void;
}

function isCorkable(stream: unknown): stream is CorkableStream {
  const candidate = stream as Partial<CorkableStream> | undefined;
  return (
    typeof candidate?.write === 'function' &&
    typeof candidate.cork === 'function' &&
    typeof candidate.uncork === 'function'
  );
}

/**
 * Sends the frames amqplib writes in one go with one system call. amqplib writes every frame to the
 * socket on its own (one `write` each: an ack, a publish); corking the socket at the first write and
 * uncorking it once the current synchronous work is done (`process.nextTick`) hands them to the
 * kernel together (`writev`). Under load that cuts the system calls per message about tenfold
 * (2.0 → 0.18 in the benchmark), and they cost more than anything else the client does. No frame
 * waits for I/O or a timer. (Uncorking in the check phase instead saved a few more calls, 0.15 per
 * message, and measured no faster.)
 */
export function coalesceWrites(model: ChannelModel): void {
  const stream: unknown = (model.connection as { stream?: unknown }).stream;
  if (!isCorkable(stream)) return;
  const write = stream.write.bind(stream);
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork();
  };
  stream.write = (...args: unknown[]): boolean => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  };
}
