import type { EmulatorSpec } from '../emulator.js';
import { FLOWCMS_API_KEY, createFlowCmsEmulator } from './emulator.js';

export const flowCmsEmulator: EmulatorSpec = {
  id: 'flowcms',
  create: () => createFlowCmsEmulator(),
  env: (base) => ({ FLOWCMS_BASE_URL: `${base}/v1`, FLOWCMS_API_KEY }),
};
