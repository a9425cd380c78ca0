import type { z } from 'zod';
import type { DefinedTool } from '../core/tool.js';
import { withErrorHints } from './error-hints.js';
import { buildPostTools } from './tools.js';
import type { Env } from '../core/env.js';
import type { EnvVar, PostApi, ProviderDefinition, ProviderDeps } from './types.js';
import type { WriteDeps } from './write.js';

/** What the shared history/revert tools need of an enabled provider. */
export interface ProviderRuntime {
  id: string;
  label: string;
  tools: DefinedTool[];
  api: PostApi<unknown, Record<string, unknown>>;
  /** The update tool's provider fields (to re-validate a journal pre-image before a revert). */
  updateInput: z.ZodObject;
  /** The update field that is the post's id, if a write can change it (see ProviderDefinition.idField). */
  idField?: string;
}

/** A provider with its settings type erased, as the registry in providers/index.ts holds it. */
export interface RegisteredProvider {
  id: string;
  label: string;
  env: EnvVar[];
  /** The update tool's provider fields, as declared (the tests read which fields take a quiet null). */
  updateInput: z.ZodObject;
  readSettings(env: Env): unknown;
  secrets(settings: unknown): (string | undefined)[];
  start(settings: unknown, deps: ProviderDeps & WriteDeps, options: { readOnly: boolean }): ProviderRuntime;
}

/** Wraps a typed provider definition for the registry; the settings it gets back are its own. */
export function registerProvider<S, L extends z.ZodObject, U extends z.ZodObject>(
  def: ProviderDefinition<S, L, U>,
): RegisteredProvider {
  return {
    id: def.id,
    label: def.label,
    env: def.env,
    updateInput: def.updateInput,
    readSettings: (env) => def.readSettings(env),
    secrets: (settings) => def.secrets(settings as S),
    start(settings, deps, options) {
      const api = withErrorHints(def.createApi(settings as S, deps), def.env);
      return {
        id: def.id,
        label: def.label,
        tools: buildPostTools(def, api, deps, {
          readOnly: options.readOnly || def.writable?.(settings as S) === false,
        }),
        api,
        updateInput: def.updateInput,
        ...(def.idField !== undefined && { idField: def.idField }),
      };
    },
  };
}
