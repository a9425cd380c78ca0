import type { EmulatorSpec } from './emulator.js';
import { butterCmsEmulator } from './buttercms/index.js';
import { partooEmulator } from './partoo/index.js';
import { infinipostEmulator } from './infinipost/index.js';
import { flowCmsEmulator } from './flowcms/index.js';
import { rebelmouseEmulator } from './rebelmouse/index.js';

export type { SandboxOptions } from './emulator.js';

/** Every emulator, one line each. */
export const EMULATORS: EmulatorSpec[] = [
  butterCmsEmulator,
  partooEmulator,
  infinipostEmulator,
  flowCmsEmulator,
  rebelmouseEmulator,
];
