import type { EmulatorSpec } from '../emulator.js';
import { REBELMOUSE_API_KEY, createRebelmouseEmulator } from './emulator.js';

export const rebelmouseEmulator: EmulatorSpec = {
  id: 'rebelmouse',
  create: () => createRebelmouseEmulator(),
  env: (base) => ({
    REBELMOUSE_BASE_URL: `${base}/api/1.3`,
    REBELMOUSE_API_KEY,
  }),
};
