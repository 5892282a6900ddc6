import { msgportProject } from '../vitest.shared.js';

// Unit tests of the fault tools' own logic (the ledger, resume times, the cutting proxy): fast.
export default msgportProject('fault-tools', { include: ['support/**/*.test.ts'] });
