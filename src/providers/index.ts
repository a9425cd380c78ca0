import { buttercms } from './buttercms/index.js';
import { flowcms } from './flowcms/index.js';
import { registerProvider, type RegisteredProvider } from './define.js';

/** Every provider, one line each. */
export const PROVIDERS: RegisteredProvider[] = [registerProvider(buttercms), registerProvider(flowcms)];
