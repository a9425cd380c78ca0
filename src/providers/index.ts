import { registerProvider, type RegisteredProvider } from '../pipeline/define.js';
import { buttercms } from './buttercms/index.js';
import { partoo } from './partoo/index.js';
import { infinipost } from './infinipost/index.js';
import { flowcms } from './flowcms/index.js';
import { rebelmouse } from './rebelmouse/index.js';

/** Every provider, one line each. */
export const PROVIDERS: RegisteredProvider[] = [
  registerProvider(buttercms),
  registerProvider(partoo),
  registerProvider(infinipost),
  registerProvider(flowcms),
  registerProvider(rebelmouse),
];
