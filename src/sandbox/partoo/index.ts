import type { EmulatorSpec } from '../emulator.js';
import { PARTOO_API_KEY, createPartooEmulator } from './emulator.js';

export const partooEmulator: EmulatorSpec = {
  id: 'partoo',
  create: createPartooEmulator,
  env: (base) => ({ PARTOO_BASE_URL: `${base}/v2`, PARTOO_API_KEY }),
};
