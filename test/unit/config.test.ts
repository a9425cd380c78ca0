import { describe, expect, it } from 'vitest';
import { loadConfig as load, type Flags } from '../../src/config.js';
import type { Env } from '../../src/core/env.js';
import { PROVIDERS } from '../../src/providers/index.js';

const loadConfig = (env: Env, flags: Flags = {}) => load(env, flags, PROVIDERS);

const butter = { BUTTERCMS_WRITE_TOKEN: 'write-token-123' };

describe('configuration', () => {
  it('enables only configured providers, with the production base URL by default', () => {
    const config = loadConfig(butter);
    expect(config.providers.map((p) => p.provider.id)).toEqual(['buttercms']);
    expect(config.providers[0]?.settings).toMatchObject({ baseUrl: 'https://api.buttercms.com/v2' });
    expect(config.secrets).toContain('write-token-123');
  });

  it('refuses a plain-http base URL except on loopback', () => {
    expect(() => loadConfig({ ...butter, BUTTERCMS_BASE_URL: 'http://api.example.com/v2' })).toThrow(
      /BUTTERCMS_BASE_URL: must use https/,
    );
    expect(
      loadConfig({ ...butter, BUTTERCMS_BASE_URL: 'http://127.0.0.1:4000/v2/' }).providers[0]?.settings,
    ).toMatchObject({
      baseUrl: 'http://127.0.0.1:4000/v2',
    });
  });

  it('names the variable and what is expected for a bad value', () => {
    expect(() => loadConfig({ ...butter, POST_EDITOR_TIMEOUT_MS: 'soon' })).toThrow(
      'POST_EDITOR_TIMEOUT_MS: must be a whole number',
    );
    expect(() => loadConfig({ ...butter, POST_EDITOR_CONFIRM: 'always' })).toThrow(
      /POST_EDITOR_CONFIRM: must be destructive or never/,
    );
    expect(() => loadConfig({ ...butter, POST_EDITOR_PROVIDERS: 'wordpress' })).toThrow(
      /unknown provider "wordpress"/,
    );
    expect(() => loadConfig({})).toThrow(/no provider is configured/);
  });

  it('requires a token to serve HTTP beyond loopback', () => {
    expect(() => loadConfig(butter, { http: true, host: '0.0.0.0' })).toThrow(/MCP_HTTP_TOKEN: is required/);
    expect(
      loadConfig({ ...butter, MCP_HTTP_TOKEN: 'a-long-random-token-value' }, { http: true, host: '0.0.0.0' })
        .http.host,
    ).toBe('0.0.0.0');
  });
});
