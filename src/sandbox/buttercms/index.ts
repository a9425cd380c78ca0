import type { EmulatorSpec } from '../emulator.js';
import { BUTTER_READ_TOKEN, BUTTER_WRITE_TOKEN, createButterCmsEmulator } from './emulator.js';

export const butterCmsEmulator: EmulatorSpec = {
  id: 'buttercms',
  create: createButterCmsEmulator,
  env: (base) => ({
    BUTTERCMS_BASE_URL: `${base}/v2`,
    BUTTERCMS_READ_TOKEN: BUTTER_READ_TOKEN,
    BUTTERCMS_WRITE_TOKEN: BUTTER_WRITE_TOKEN,
  }),
};
