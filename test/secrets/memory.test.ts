import '@msgport/memory';
import { secretMatrix } from './matrix.js';
import { operationCases } from './operation-cases.js';
import { urlCases } from './url-cases.js';

// memory:// URLs take no credentials: a URL with one is refused. Operations carry secrets in values.
secretMatrix('memory', '', () => [
  ...urlCases({ scheme: 'memory', host: 'secrets-store' }),
  ...operationCases({
    open: (probe) => probe.connect('memory://'),
    urlSecrets: [],
    fifo: true,
  }),
]);
