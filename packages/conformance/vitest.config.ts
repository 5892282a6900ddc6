import { msgportProject } from '../../vitest.shared.js';

export default msgportProject('conformance');
