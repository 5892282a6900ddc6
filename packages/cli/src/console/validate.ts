/** Input checks of the console API: anything the browser sends is validated before it reaches the broker. */

/** The request's input is wrong: answered with 400 and the message. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

// SQS's rule, which every transport accepts: 1–80 letters, digits, "-" or "_", ".fifo" allowed at the end.
const QUEUE_NAME = /^(?=.{1,80}$)[A-Za-z0-9_-]+(\.fifo)?$/;

export function queueName(value: unknown, what = 'queue name'): string {
  if (typeof value !== 'string' || !QUEUE_NAME.test(value)) {
    throw new BadRequest(`${what} must be 1–80 letters, digits, "-" or "_" (optionally ending in ".fifo")`);
  }
  return value;
}

export function countParam(value: string | null, fallback: number, min: number, max: number): number {
  if (value === null) return fallback;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < min || count > max) {
    throw new BadRequest(`count must be a whole number from ${min} to ${max}`);
  }
  return count;
}

export interface RedriveRequest {
  readonly to?: string;
}

export function redriveRequest(body: unknown): RedriveRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequest('the request body must be a JSON object');
  }
  const allowed = new Set(['to']);
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) throw new BadRequest(`unknown field "${key}"`);
  }
  const to = (body as { to?: unknown }).to;
  return to === undefined ? {} : { to: queueName(to, '"to"') };
}
