import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, startCli } from './support/run-cli.js';
import { type Place, placesFor, target } from './support/transports.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = fileURLToPath(new URL('../../../docs/images/console.png', import.meta.url));

const redis = target('redis');
// Outside CI a machine without Debian's chromium skips the test and says so; under CI=true it fails.
const noBrowser =
  existsSync(CHROMIUM) || process.env.CI === 'true'
    ? ''
    : `[skipped: ${CHROMIUM} is missing: apt-get install chromium]`;
const missing = [redis.unavailable, noBrowser].filter(Boolean).join('; ');

describe.skipIf(missing !== '')(`msgport console on Redis in headless Chromium ${missing}`, () => {
  const [place] = placesFor(redis) as [Place];
  let server: CliProcess;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const broker = await place.broker();
    await broker.createQueue('orders-dlq');
    await broker.createQueue('orders', { deadLetter: { queue: 'orders-dlq', maxReceiveCount: 3 } });
    await broker.createQueue('billing');
    await broker.createQueue('shipping');
    const events = await broker.createTopic('order-events');
    await events.subscribe('billing', { filterPolicy: { total: [{ numeric: ['>', 0] }] } });
    await events.subscribe('shipping', { rawMessageDelivery: true, filterPolicy: { type: ['order.placed'] } });
    await broker.queue('orders').sendBatch(Array.from({ length: 7 }, (_, i) => ({ id: `o${i}`, body: `{"id":${i}}` })));
    await broker.queue('orders-dlq').sendBatch(
      Array.from({ length: 4 }, (_, i) => ({
        id: `d${i}`,
        body: JSON.stringify({ id: 100 + i, sku: 'unicorn', quantity: 1 }),
        attributes: { type: 'order.placed', total: 12.5 + i },
      })),
    );
    server = startCli(['console', place.url, '--port', '0', '--interval', '1']);
    const line = await server.waitFor(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
    base = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(line)?.[1] as string;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.child.exitCode === null) server.child.kill('SIGTERM');
    await server?.done;
  });

  it('shows queues with live depth, browses the DLQ, redrives it, and lists topics', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 1100 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(base);
    const orders = page.locator('[data-queue="orders"]');
    await expect.poll(() => orders.locator('[data-metric="visible"]').textContent(), { timeout: 15_000 }).toBe('7');
    await expect.poll(() => page.locator('#broker-url').textContent()).toContain('redis://127.0.0.1');

    // The depth graph moves: more orders arrive while the page polls.
    const broker = await place.broker();
    for (let i = 0; i < 4; i++) {
      await broker.queue('orders').send(`{"late":${i}}`);
      await broker.queue('billing').send(`{"bill":${i}}`);
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    await expect.poll(() => orders.locator('[data-metric="visible"]').textContent(), { timeout: 10_000 }).toBe('11');
    await broker.queue('shipping').receive({ maxMessages: 1, visibilityTimeoutSeconds: 60 }); // nothing there yet
    await broker.queue('orders').receive({ maxMessages: 3, visibilityTimeoutSeconds: 120 }); // 3 in flight
    await expect.poll(() => orders.locator('[data-metric="inFlight"]').textContent(), { timeout: 10_000 }).toBe('3');

    const dlq = page.locator('[data-dlq="orders-dlq"]');
    await expect.poll(() => dlq.locator('[data-dlq-depth="orders-dlq"]').textContent(), { timeout: 10_000 }).toBe('4');
    await dlq.getByRole('button', { name: 'Show messages' }).click();
    await expect.poll(() => dlq.locator('tr[data-message]').count(), { timeout: 10_000 }).toBe(4);
    expect(await dlq.textContent()).toContain('"sku":"unicorn"');
    expect(await dlq.textContent()).toContain('total = 12.5');
    await expect.poll(() => page.locator('[data-topic="order-events"]').count(), { timeout: 20_000 }).toBe(2);
    expect(await page.locator('#topics').textContent()).toContain('"numeric"');

    mkdirSync(fileURLToPath(new URL('.', `file://${SCREENSHOT}`)), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    const redrive = dlq.locator('[data-redrive="orders-dlq"]');
    await redrive.click(); // arms the button
    await expect.poll(() => redrive.textContent()).toContain('Confirm');
    await redrive.click();
    await expect.poll(() => dlq.locator('[data-dlq-depth="orders-dlq"]').textContent(), { timeout: 10_000 }).toBe('0');
    await expect
      .poll(() => page.locator('#toast').textContent())
      .toContain('Moved 4 messages from orders-dlq to orders');
    expect((await broker.queue('orders-dlq').getAttributes()).visible).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the API validates input and refuses cross-site and rebinding requests', async () => {
    const get = (path: string, init?: RequestInit) => fetch(new URL(path, base), init);
    expect((await get('/api/queues/orders/messages?count=50')).status).toBe(400);
    expect((await get('/api/queues/bad%20name/messages')).status).toBe(400);
    expect((await get('/api/queues/missing-queue/messages')).status).toBe(404);
    expect((await get('/api/nothing')).status).toBe(404);
    expect((await get('/api/queues/orders-dlq/redrive', { method: 'POST', body: '{}' })).status).toBe(415);
    const json = { 'content-type': 'application/json' };
    expect((await get('/api/queues/orders-dlq/redrive', { method: 'POST', headers: json, body: '[' })).status).toBe(
      400,
    );
    expect(
      (await get('/api/queues/orders-dlq/redrive', { method: 'POST', headers: json, body: '{"to":"a b"}' })).status,
    ).toBe(400);
    const crossSite = { ...json, origin: 'http://evil.example' };
    expect(
      (await get('/api/queues/orders-dlq/redrive', { method: 'POST', headers: crossSite, body: '{}' })).status,
    ).toBe(403);
    const body = (await (await get('/api/queues/orders/messages?count=1')).json()) as { messages: unknown[] };
    expect(body.messages).toHaveLength(1);
    const info = await (await get('/api/broker')).json();
    expect(info).toMatchObject({ transport: 'redis', pollSeconds: 1 });
    expect(await (await get('/nope')).text()).toBe('not found');
  });

  it('stops cleanly on SIGTERM', async () => {
    server.child.kill('SIGTERM');
    const result = await server.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('console stopped');
    expect(result.stderr).toBe('');
  });
});
