import { buttercms } from './buttercms/index.js';
import { registerProvider, type RegisteredProvider } from './define.js';
import { rebelmouse } from './rebelmouse/index.js';

/** Every provider, one line each. */
export const PROVIDERS: RegisteredProvider[] = [registerProvider(buttercms), registerProvider(rebelmouse)];
