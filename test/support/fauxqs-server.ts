/**
 * fauxqs 1.9.2 (an SQS/SNS emulator) as a server process of its own on a given loopback port, so
 * the fault tools' clients reach it over TCP like a real endpoint (and through a cutting proxy).
 * Usage: node --import tsx fauxqs-server.ts <port>
 */
import { buildApp } from 'fauxqs';

const port = Number(process.argv[2]);
const app = buildApp({ logger: false });
await app.listen({ port, host: '127.0.0.1' });
