import type { EmulatorSpec } from '../emulator.js';
import { INFINIPOST_API_KEY, createInfinipostEmulator } from './emulator.js';

export const infinipostEmulator: EmulatorSpec = {
  id: 'infinipost',
  create: () => createInfinipostEmulator(),
  env: (base) => ({ INFINIPOST_BASE_URL: `${base}/v1`, INFINIPOST_API_KEY: INFINIPOST_API_KEY }),
};
