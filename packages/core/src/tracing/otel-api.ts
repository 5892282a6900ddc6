import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as OtelApi from '@opentelemetry/api';

export type { OtelApi };

let api: typeof OtelApi | null | undefined;

/**
 * `@opentelemetry/api`, when the application has it: an optional peer dependency, loaded on first
 * use and never required. Without it every tracing call in msgport is a no-op. It is looked up
 * from msgport first, then from the application's directory (strict layouts such as pnpm may not
 * link an optional peer into msgport). The API keeps its registrations on a process-wide global,
 * so this copy sees the tracer provider, propagator and context manager the application set up.
 */
export function otelApi(): typeof OtelApi | undefined {
  if (api === undefined) api = load();
  return api ?? undefined;
}

let noopProvider: unknown;

/**
 * The API when a tracer provider is registered, so spans can record; otherwise undefined and the
 * caller skips tracing altogether (no span objects, no context extraction on hot paths). Checked
 * on every call: an SDK may be registered after msgport is loaded.
 */
export function tracingApi(): typeof OtelApi | undefined {
  const loaded = otelApi();
  if (!loaded) return undefined;
  const provider = loaded.trace.getTracerProvider() as { getDelegate?: () => unknown };
  if (typeof provider.getDelegate !== 'function') return loaded;
  noopProvider ??= new loaded.ProxyTracerProvider().getDelegate();
  const delegate = provider.getDelegate();
  return delegate === noopProvider ? undefined : loaded;
}

function load(): typeof OtelApi | null {
  for (const from of [import.meta.url, pathToFileURL(`${process.cwd()}/`).href]) {
    try {
      return createRequire(from)('@opentelemetry/api') as typeof OtelApi;
    } catch {
      // Not installed where this looked; try the next place, then run without tracing.
    }
  }
  return null;
}
