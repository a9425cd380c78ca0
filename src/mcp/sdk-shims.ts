import { createRequire } from 'node:module';
import process from 'node:process';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/server';

// Stands in for the SDK's `@modelcontextprotocol/server/_shims` (Node build) in our bundle only
// (tools/bundle.mjs, ADR 0161): the SDK's own shim imports Ajv and ajv-formats at start, ~10 000 lines
// compiled and run before the first message, for a default validator this server never uses (the
// adapter passes its own). Same exports; Ajv is loaded on the first getValidator call, if ever.

/** The SDK's default JSON Schema validator (Ajv), loaded on first use. */
export class DefaultJsonSchemaValidator implements jsonSchemaValidator {
  private real: jsonSchemaValidator | undefined;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    this.real ??= loadAjvValidator();
    return this.real.getValidator<T>(schema);
  }
}

function loadAjvValidator(): jsonSchemaValidator {
  const ajv = createRequire(import.meta.url)('@modelcontextprotocol/server/validators/ajv') as {
    AjvJsonSchemaValidator: new () => jsonSchemaValidator;
  };
  return new ajv.AjvJsonSchemaValidator();
}

export { process };
