import type { Clock } from '../clock.js';

/** One poller's seat. A poller keeps polling while its slot is active; retiring the slot ends it. */
export interface PollerSlot {
  active: boolean;
  /** The poller's receive signal, created when first needed and replaced after an abort. */
  receiveAbort: AbortController | undefined;
}

export interface ScalingSettings {
  /** Where polling starts and where idle scaling stops: five batches (or the cap when lower). */
  readonly initial: number;
  readonly maximum: number;
  /** Pollers added per minute at most while batches come back full. */
  readonly scaleUpPerMinute: number;
  readonly clock: Clock;
}

export interface ScalingHooks {
  /** Starts a poller loop for a new slot. */
  readonly spawn: (slot: PollerSlot) => void;
  /** The target changed. */
  readonly changed: (target: number) => void;
}

/**
 * The one owner of the consumer's concurrency. Pollers report what happened (a full batch, an
 * empty receive, a whole-batch failure); only this controller changes the target, and it changes
 * the set of live slots in the same synchronous step, so while running `pollers === target ≥ 1`
 * holds at every await point.
 *
 * A retired slot is drained, not killed: its poller finishes the receive or batch it is in and
 * then leaves. Scaling up revives drained slots before starting new pollers, so live plus
 * draining pollers never exceed the largest target there was, which never exceeds `maximum`.
 */
export class ScalingController {
  readonly #settings: ScalingSettings;
  readonly #hooks: ScalingHooks;
  readonly #live = new Set<PollerSlot>();
  readonly #draining = new Set<PollerSlot>();
  readonly #scaleUpIntervalMs: number;
  #running = false;
  #lastScaleUpAt = 0;
  /** The latest receive came back full: the queue has a backlog. */
  #backlog = false;
  /** Below the initial five after failures, and batches succeed again. */
  #recovering = false;
  #cancelGrowth: (() => void) | undefined;
  #drained: (() => void) | undefined;

  constructor(settings: ScalingSettings, hooks: ScalingHooks) {
    this.#settings = settings;
    this.#hooks = hooks;
    this.#scaleUpIntervalMs = 60_000 / settings.scaleUpPerMinute;
  }

  /** Live pollers; equal to the target while running. */
  get target(): number {
    return this.#live.size;
  }

  /** Pollers still finishing work after being retired. */
  get draining(): number {
    return this.#draining.size;
  }

  /** Every slot there is, live or draining: what stop() aborts. */
  slots(): IterableIterator<PollerSlot> {
    return [...this.#live, ...this.#draining].values();
  }

  start(): void {
    this.#running = true;
    this.#lastScaleUpAt = this.#settings.clock.now();
    this.#setTarget(this.#settings.initial);
  }

  /** Retires every slot; pollers finish what they are doing. Resolves when the last one has left. */
  stop(): Promise<void> {
    this.#running = false;
    this.#cancelGrowth?.();
    this.#cancelGrowth = undefined;
    for (const slot of this.#live) this.#retire(slot);
    return this.#whenDrained();
  }

  /** Called by a poller before every receive: false means leave now (the slot is already released). */
  keepPolling(slot: PollerSlot): boolean {
    if (slot.active && this.#running) return true;
    this.#leave(slot);
    return false;
  }

  /** A poller's loop ended without being retired (a bug): it is replaced so the invariant holds. */
  crashed(slot: PollerSlot): void {
    const wasLive = this.#live.delete(slot);
    this.#leave(slot);
    if (wasLive && this.#running) this.#add();
  }

  /** A batch came back full: there is a backlog, so pollers are added (at the documented rate) while it lasts. */
  fullBatch(): void {
    this.#backlog = true;
    this.#planGrowth();
  }

  /** A batch came back with fewer messages than asked for: the backlog is gone. */
  partialBatch(): void {
    this.#backlog = false;
  }

  /** A batch succeeded (wholly or partly): recover towards the initial five after failures. */
  succeeded(): void {
    if (this.#live.size >= this.#settings.initial) return;
    this.#recovering = true;
    this.#planGrowth();
  }

  /** An empty receive: above the initial five, the poller that found nothing retires. */
  emptyReceive(slot: PollerSlot): void {
    this.#backlog = false;
    if (!this.#running || !this.#live.has(slot) || this.#live.size <= this.#settings.initial) return;
    this.#setTarget(this.#live.size - 1, slot);
  }

  /** A whole batch failed: halve the concurrency (never below one), the failing poller first. */
  batchFailed(slot: PollerSlot): void {
    if (!this.#running) return;
    const next = Math.max(1, Math.floor(this.#live.size / 2));
    if (next === this.#live.size) return;
    // Growth starts over from here, at the documented pace.
    this.#lastScaleUpAt = this.#settings.clock.now();
    this.#setTarget(next, slot);
  }

  /** How far growth may go now: the cap during a backlog, the initial five while recovering. */
  #growthLimit(): number {
    if (this.#backlog) return this.#settings.maximum;
    if (this.#recovering) return this.#settings.initial;
    return 0;
  }

  /**
   * One timer for the whole consumer (none while there is nothing to grow): it adds a poller every
   * `60 s / scaleUpPerMinute` for as long as the growth signal holds, however long handlers take.
   */
  #planGrowth(): void {
    if (!this.#running || this.#cancelGrowth || this.#live.size >= this.#growthLimit()) return;
    const dueInMs = this.#lastScaleUpAt + this.#scaleUpIntervalMs - this.#settings.clock.now();
    this.#cancelGrowth = this.#settings.clock.setTimer(Math.max(0, dueInMs), () => {
      this.#cancelGrowth = undefined;
      if (!this.#running) return;
      const limit = this.#growthLimit();
      if (this.#live.size >= this.#settings.initial) this.#recovering = false;
      if (this.#live.size >= limit) return;
      this.#lastScaleUpAt = this.#settings.clock.now();
      this.#setTarget(this.#live.size + 1);
      this.#planGrowth();
    });
  }

  /** Moves the live slots to `target` (1…maximum) in one step, retiring `retireFirst` first when shrinking. */
  #setTarget(target: number, retireFirst?: PollerSlot): void {
    const before = this.#live.size;
    const next = Math.max(1, Math.min(this.#settings.maximum, target));
    if (retireFirst && next < before && this.#live.has(retireFirst)) this.#retire(retireFirst);
    while (this.#live.size > next) this.#retire(this.#newestLive());
    while (this.#live.size < next) this.#add();
    if (this.#live.size !== before) this.#hooks.changed(next);
  }

  #add(): void {
    const revived = this.#draining.values().next();
    if (!revived.done) {
      const slot = revived.value;
      this.#draining.delete(slot);
      slot.active = true;
      this.#live.add(slot);
      return;
    }
    const slot: PollerSlot = { active: true, receiveAbort: undefined };
    this.#live.add(slot);
    this.#hooks.spawn(slot);
  }

  #retire(slot: PollerSlot): void {
    this.#live.delete(slot);
    slot.active = false;
    this.#draining.add(slot);
  }

  #newestLive(): PollerSlot {
    let newest: PollerSlot | undefined;
    for (const slot of this.#live) newest = slot;
    return newest as PollerSlot;
  }

  #leave(slot: PollerSlot): void {
    this.#live.delete(slot);
    this.#draining.delete(slot);
    slot.active = false;
    if (this.#live.size === 0 && this.#draining.size === 0) {
      const drained = this.#drained;
      this.#drained = undefined;
      drained?.();
    }
  }

  #whenDrained(): Promise<void> {
    if (this.#live.size === 0 && this.#draining.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const previous = this.#drained;
      this.#drained = () => {
        previous?.();
        resolve();
      };
    });
  }
}
