/** Which orders were acted on, and where: the example's proof that none is lost or done twice. */
export class Ledger {
  readonly #done = new Map<number, string>();
  readonly duplicates: number[] = [];
  verified = 0;

  /** The real work (charge, ship, …) for one order, on `side`. */
  act(id: number, side: string): void {
    if (this.#done.has(id)) this.duplicates.push(id);
    else this.#done.set(id, side);
  }

  count(side?: string): number {
    if (side === undefined) return this.#done.size;
    return [...this.#done.values()].filter((s) => s === side).length;
  }

  missing(total: number): number[] {
    return Array.from({ length: total }, (_, i) => i).filter((id) => !this.#done.has(id));
  }
}

export const orderBody = (id: number) => JSON.stringify({ id, sku: `sku-${id % 7}`, quantity: 1 + (id % 3) });
export const orderId = (body: string) => (JSON.parse(body) as { id: number }).id;
