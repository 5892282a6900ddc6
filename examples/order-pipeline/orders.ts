/** The order messages flowing through the pipeline. */
export interface Order {
  readonly orderId: string;
  readonly sku: string;
  readonly quantity: number;
}

export interface PricedOrder extends Order {
  readonly unitPrice: number;
  readonly total: number;
}

const PRICES: Readonly<Record<string, number>> = { book: 12.5, lamp: 40, desk: 220, pen: 1.2 };

/** Some orders are invalid on purpose (unknown sku or quantity 0) so they end up in the dead-letter queue. */
export function sampleOrders(count: number): Order[] {
  const skus = Object.keys(PRICES);
  return Array.from({ length: count }, (_, i) => ({
    orderId: `o-${String(i + 1).padStart(4, '0')}`,
    sku: i % 17 === 16 ? 'unicorn' : (skus[i % skus.length] as string),
    quantity: i % 23 === 22 ? 0 : 1 + (i % 3),
  }));
}

export function validateOrder(order: Order, knownSkus: ReadonlySet<string>): void {
  if (!knownSkus.has(order.sku)) throw new Error(`unknown sku "${order.sku}"`);
  if (!Number.isInteger(order.quantity) || order.quantity < 1) throw new Error(`bad quantity ${order.quantity}`);
}

export function priceOrder(order: Order): PricedOrder {
  const unitPrice = PRICES[order.sku] ?? 0;
  return { ...order, unitPrice, total: Math.round(unitPrice * order.quantity * 100) / 100 };
}

export const CATALOG = new Set(Object.keys(PRICES));
