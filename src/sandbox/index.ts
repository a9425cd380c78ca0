import { butterCmsEmulator } from './buttercms/index.js';
import type { EmulatorSpec } from './emulator.js';
import { rebelmouseEmulator } from './rebelmouse/index.js';

export type { SandboxOptions } from './emulator.js';

/** Every emulator, one line each. */
export const EMULATORS: EmulatorSpec[] = [butterCmsEmulator, rebelmouseEmulator];
