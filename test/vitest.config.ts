import { msgportProject } from '../vitest.shared.js';

export default msgportProject('workspace', { include: ['*.test.ts'] });
