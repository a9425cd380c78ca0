import { butterCmsEmulator } from './buttercms/index.js';
import { flowCmsEmulator } from './flowcms/index.js';
import type { EmulatorSpec } from './emulator.js';

export type { SandboxOptions } from './emulator.js';

/** Every emulator, one line each. */
export const EMULATORS: EmulatorSpec[] = [butterCmsEmulator, flowCmsEmulator];
