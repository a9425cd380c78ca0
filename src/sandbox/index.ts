import { butterCmsEmulator } from './buttercms/index.js';
import type { EmulatorSpec } from './emulator.js';
import { partooEmulator } from './partoo/index.js';

export type { SandboxOptions } from './emulator.js';

/** Every emulator, one line each. */
export const EMULATORS: EmulatorSpec[] = [butterCmsEmulator, partooEmulator];
