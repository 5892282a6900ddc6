import { msgportProject } from '../../vitest.shared.js';

export default msgportProject('test-support');
