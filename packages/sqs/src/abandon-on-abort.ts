import { AbortedError } from '@msgport/core/driver';

/**
 * Ends the caller's wait when `signal` aborts, without cutting the request: SQS keeps an abandoned
 * long poll open on its side and hands the next message to it, which hides that message for its
 * visibility timeout (aws-sdk-js#2350, aws-sdk-java-v2#1395, aws-sdk-go-v2#2068). The request runs
 * on instead, and `onLate` gets what it still returns (the driver makes those messages visible again).
 */
export function abandonOnAbort<T>(
  call: Promise<T>,
  signal: AbortSignal,
  transport: string,
  onLate: (output: T) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(new AbortedError('receive was aborted', { cause: signal.reason, transport }));
      call.then(onLate, () => undefined);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(
      (output) => {
        signal.removeEventListener('abort', onAbort);
        resolve(output);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
