import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDERS } from '../src/providers/index.js';

// Registry and client manifests generated from the providers' own env definitions, so a new provider
// appears in every package format by running `npm run docs`. test/unit/packaging.test.ts checks them.

export const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  description: string;
  mcpName: string;
  license: string;
  engines: { node: string };
};
const REPOSITORY = 'https://github.com/post-editor/post-editor-mcp';
export const SERVER_SCHEMA = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

/** One configurable variable, as every package format needs it. */
export interface PackagedVar {
  name: string;
  title: string;
  description: string;
  secret: boolean;
  kind: 'string' | 'boolean' | 'choice' | 'path';
  choices?: string[];
  defaultValue?: string;
}

/** Server-wide settings worth offering in an installer (the rest stay README-only). */
const SERVER_VARS: PackagedVar[] = [
  {
    name: 'POST_EDITOR_PROVIDERS',
    title: 'Providers',
    description: 'comma list of providers to enable (blank: every configured one)',
    secret: false,
    kind: 'string',
  },
  {
    name: 'POST_EDITOR_READ_ONLY',
    title: 'Read-only',
    description: 'true: register no write tool',
    secret: false,
    kind: 'boolean',
    defaultValue: 'false',
  },
  {
    name: 'POST_EDITOR_CONFIRM',
    title: 'Confirm destructive calls',
    description:
      'destructive: unpublish/delete (and publishing a Partoo draft) need confirmation; never: for unattended pipelines',
    secret: false,
    kind: 'choice',
    choices: ['destructive', 'never'],
    defaultValue: 'destructive',
  },
  {
    name: 'POST_EDITOR_CONFIRM_VIA',
    title: 'Who confirms',
    description:
      'auto: the person in the client when it can ask (elicitation), else a confirm token; user: only the person; token: only tokens',
    secret: false,
    kind: 'choice',
    choices: ['auto', 'user', 'token'],
    defaultValue: 'auto',
  },
  {
    name: 'POST_EDITOR_DATA_DIR',
    title: 'Journal directory',
    description: "where the write journal lives (default: the user's state directory)",
    secret: false,
    kind: 'path',
  },
];

function humanize(providerId: string, label: string, name: string): string {
  const rest = name
    .replace(new RegExp(`^${providerId.toUpperCase()}_`), '')
    .toLowerCase()
    .replace(/_/g, ' ')
    .replace(/\burl\b/, 'URL')
    .replace(/\bapi\b/, 'API');
  return `${label} ${rest}`;
}

/** Every provider's variables (from its definition), then the server-wide ones. */
export function packagedVars(): PackagedVar[] {
  const provider = PROVIDERS.flatMap((p) =>
    p.env.map((v) => ({
      name: v.name,
      title: humanize(p.id, p.label, v.name),
      description: v.description,
      secret: v.secret,
      kind: 'string' as const,
    })),
  );
  return [...provider, ...SERVER_VARS];
}

const configKey = (name: string) => name.toLowerCase();
const camel = (name: string) => name.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** server.json for the MCP Registry: the npm package over stdio. */
export function serverJson(): Record<string, unknown> {
  return {
    $schema: SERVER_SCHEMA,
    name: pkg.mcpName,
    title: 'Post editor',
    description: 'Read and safely edit posts on Partoo, Infinipost, FlowCMS, ButterCMS and RebelMouse.',
    version: pkg.version,
    repository: { url: REPOSITORY, source: 'github' },
    packages: [
      {
        registryType: 'npm',
        registryBaseUrl: 'https://registry.npmjs.org',
        identifier: pkg.name,
        version: pkg.version,
        runtimeHint: 'npx',
        transport: { type: 'stdio' },
        environmentVariables: packagedVars().map((v) => ({
          name: v.name,
          description: v.description,
          isRequired: false,
          isSecret: v.secret,
          format: v.kind === 'boolean' ? 'boolean' : v.kind === 'path' ? 'filepath' : 'string',
          ...(v.choices && { choices: v.choices }),
          ...(v.defaultValue !== undefined && { default: v.defaultValue }),
        })),
      },
    ],
  };
}

/** manifest.json of the .mcpb bundle for Claude Desktop. */
export function mcpbManifest(): Record<string, unknown> {
  const vars = packagedVars();
  return {
    manifest_version: '0.3',
    name: pkg.name,
    display_name: 'Post editor',
    version: pkg.version,
    description: pkg.description,
    long_description:
      'Typed tools per provider (get, list, update, unpublish or delete) whose schemas carry every API rule. ' +
      'Writes are version-checked, previewable with dry_run, confirmed when destructive, journaled and revertible. ' +
      'Only providers whose credentials you fill in are enabled.',
    author: { name: 'post-editor-mcp contributors', url: REPOSITORY },
    repository: { type: 'git', url: REPOSITORY },
    homepage: REPOSITORY,
    license: pkg.license,
    keywords: ['cms', 'blog', 'posts', ...PROVIDERS.map((p) => p.id)],
    server: {
      type: 'node',
      entry_point: 'dist/index.js',
      mcp_config: {
        command: 'node',
        args: ['${__dirname}/dist/index.js'],
        env: Object.fromEntries(vars.map((v) => [v.name, `\${user_config.${configKey(v.name)}}`])),
      },
    },
    tools_generated: true,
    compatibility: {
      platforms: ['darwin', 'win32', 'linux'],
      runtimes: { node: pkg.engines.node },
    },
    user_config: Object.fromEntries(
      vars.map((v) => [
        configKey(v.name),
        {
          type: v.kind === 'boolean' ? 'boolean' : v.kind === 'path' ? 'directory' : 'string',
          title: v.title,
          description: v.choices ? `${v.description} (${v.choices.join(' or ')})` : v.description,
          required: false,
          ...(v.secret && { sensitive: true }),
          // A default for every field: Claude Desktop leaves an unset field's ${user_config.x}
          // unreplaced, and that literal would be read as a credential (ADR 0061).
          default: v.kind === 'boolean' ? v.defaultValue === 'true' : (v.defaultValue ?? ''),
        },
      ]),
    ),
  };
}

/** The Smithery config (stdio start in the Dockerfile's image) as an object. */
export function smitheryConfig(): Record<string, unknown> {
  const vars = packagedVars();
  const mapping = vars.map((v) => `${v.name}: config.${camel(v.name)}`).join(', ');
  return {
    build: { dockerfile: 'Dockerfile', dockerBuildPath: '.' },
    startCommand: {
      type: 'stdio',
      configSchema: {
        type: 'object',
        properties: Object.fromEntries(
          vars.map((v) => [
            camel(v.name),
            {
              type: v.kind === 'boolean' ? 'boolean' : 'string',
              title: v.title,
              description: v.secret ? `${v.description} (secret)` : v.description,
              ...(v.choices && { enum: v.choices }),
              ...(v.defaultValue !== undefined && {
                default: v.kind === 'boolean' ? v.defaultValue === 'true' : v.defaultValue,
              }),
            },
          ]),
        ),
      },
      commandFunction:
        `(config) => ({\n  command: 'node',\n  args: ['dist/index.js'],\n` +
        `  env: Object.fromEntries(\n    Object.entries({ ${mapping} })\n` +
        `      .filter(([, v]) => v !== undefined && v !== '')\n      .map(([k, v]) => [k, String(v)]),\n  ),\n})`,
      exampleConfig: Object.fromEntries(
        vars
          .filter((v) => v.secret)
          .slice(0, 2)
          .map((v) => [camel(v.name), `your-${v.name.toLowerCase().replace(/_/g, '-')}`]),
      ),
    },
  };
}

/** A small YAML writer for the config above: strings double-quoted, multi-line strings as blocks. */
export function toYaml(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value.map((item) => `${pad}- ${scalar(item, indent + 2).trimStart()}`).join('\n');
  }
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => {
        const key = /^[A-Za-z0-9_]+$/.test(k) ? k : JSON.stringify(k);
        if (v && typeof v === 'object') {
          const empty = Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
          return empty
            ? `${pad}${key}: ${Array.isArray(v) ? '[]' : '{}'}`
            : `${pad}${key}:\n${toYaml(v, indent + 2)}`;
        }
        return `${pad}${key}: ${scalar(v, indent + 2)}`;
      })
      .join('\n');
  }
  return pad + scalar(value, indent);
}

function scalar(value: unknown, indent: number): string {
  if (typeof value === 'string' && value.includes('\n')) {
    const pad = ' '.repeat(indent);
    return `|-\n${value
      .split('\n')
      .map((line) => (line ? pad + line : ''))
      .join('\n')}`;
  }
  if (value && typeof value === 'object') return `\n${toYaml(value, indent)}`;
  return JSON.stringify(value);
}

/** The three generated files, by path relative to the repository root. */
export function packagingFiles(): Record<string, string> {
  return {
    'server.json': JSON.stringify(serverJson(), null, 2) + '\n',
    'manifest.json': JSON.stringify(mcpbManifest(), null, 2) + '\n',
    'smithery.yaml':
      "# Generated by `npm run docs` from the providers' definitions; do not edit by hand.\n" +
      '# Smithery runs the stdio server inside the Dockerfile image; credentials come from the config\n' +
      '# below as environment variables (see docs/adr/0060-smithery-stdio-start.md).\n' +
      toYaml(smitheryConfig()) +
      '\n',
  };
}
