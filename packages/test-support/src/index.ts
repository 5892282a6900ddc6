/**
 * @module @msgport/test-support — helpers the workspace's test suites share (private, not published).
 */
export { captureLogger, type LogLine } from './capture-logger.js';
export { containerRuntimeAnswers, startRabbitMQContainer, startRedisContainer } from './containers.js';
export { seededRandom } from './seeded-random.js';
export {
  decideService,
  inCi,
  type ProvidedService,
  provideService,
  type ServiceDecision,
  type ServiceProbes,
  type ServiceRequest,
  type ServiceSituation,
  type StartedService,
} from './service-fallback.js';
export { tcpAnswers } from './tcp-probe.js';
