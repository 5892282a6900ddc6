/**
 * Where a networked test suite finds its server (Redis, RabbitMQ), decided once in the suite's
 * global setup:
 *
 * 1. the configured server (`REDIS_URL`, `AMQP_URL` or the local default) answers → use it;
 * 2. it does not, and a container runtime (Docker, Podman…) answers → start the server with
 *    testcontainers and use that one, stopped again at teardown;
 * 3. neither → skip the suite with a notice, or fail the run under `CI=true`.
 */

/** What the global setup does, given what it found. */
export type ServiceDecision = 'use-configured' | 'start-container' | 'skip' | 'fail';

export interface ServiceSituation {
  /** The configured server answered. */
  readonly reachable: boolean;
  /** A container runtime answered (only asked when the server did not). */
  readonly containerRuntime: boolean;
  /** `CI=true` (or `1`): a missing server fails the run instead of skipping. */
  readonly ci: boolean;
}

export function decideService(situation: ServiceSituation): ServiceDecision {
  if (situation.reachable) return 'use-configured';
  if (situation.containerRuntime) return 'start-container';
  return situation.ci ? 'fail' : 'skip';
}

/** A server started for the run; `stop` is idempotent. */
export interface StartedService {
  readonly url: string;
  stop(): Promise<void>;
}

/** The side effects `provideService` needs; tests pass their own. */
export interface ServiceProbes {
  /** Does a server answer at `url`? Must not throw. */
  reachable(url: string): Promise<boolean>;
  /** Does a container runtime answer? Must not throw. */
  containerRuntime(): Promise<boolean>;
  /** Starts the server in a container and resolves once it accepts clients. */
  startContainer(): Promise<StartedService>;
}

export interface ServiceRequest {
  /** Shown in notices: `Redis`, `RabbitMQ`. */
  readonly name: string;
  /** The configured (or default) URL, tried first. */
  readonly url: string;
  /** The URL in notices (credentials removed). */
  readonly displayUrl: string;
  /** How to get a server without Docker, named in notices (e.g. `run .ci/ensure-redis.sh`). */
  readonly hint: string;
  readonly ci: boolean;
}

/** The outcome: a URL to test against (and how it came to be), or the reason the suite skips. */
export type ProvidedService =
  | { readonly source: 'configured' | 'container'; readonly url: string; stop(): Promise<void> }
  | { readonly source: 'none'; readonly reason: string; stop(): Promise<void> };

const nothingToStop = async (): Promise<void> => {};

/**
 * Applies `decideService` with real or given probes. Under `CI=true` without a server and without a
 * container runtime it throws (the run fails); otherwise it never throws for a missing server.
 * A container that fails to start is an error, not a skip: Docker answered, so something is broken.
 */
export async function provideService(
  request: ServiceRequest,
  probes: ServiceProbes,
  log: (message: string) => void = console.warn,
): Promise<ProvidedService> {
  const reachable = await probes.reachable(request.url);
  const containerRuntime = reachable ? false : await probes.containerRuntime();
  const decision = decideService({ reachable, containerRuntime, ci: request.ci });
  const missing = `no ${request.name} answers at ${request.displayUrl}`;
  switch (decision) {
    case 'use-configured':
      return { source: 'configured', url: request.url, stop: nothingToStop };
    case 'start-container': {
      log(`\n[${request.name}] ${missing}: starting one with testcontainers\n`);
      const started = await probes.startContainer();
      return { source: 'container', url: started.url, stop: () => started.stop() };
    }
    case 'skip': {
      const reason = `${missing} and no container runtime (${request.hint})`;
      log(`\n[${request.name}] ${reason}: its tests are SKIPPED (CI=true makes this fail)\n`);
      return { source: 'none', reason, stop: nothingToStop };
    }
    case 'fail':
      throw new Error(`CI=true but ${missing} and no container runtime answers; ${request.hint}`);
  }
}

/** `CI=true` or `CI=1`, as the test suites read it. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}
