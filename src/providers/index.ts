import { buttercms } from './buttercms/index.js';
import { registerProvider, type RegisteredProvider } from './define.js';
import { partoo } from './partoo/index.js';

/** Every provider, one line each. */
export const PROVIDERS: RegisteredProvider[] = [registerProvider(buttercms), registerProvider(partoo)];
