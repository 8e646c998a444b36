import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('MLLP listener settings', () => {
  it('defaults to a 5-minute idle timeout, 64 connections and 1 MiB messages', () => {
    expect(loadConfig({})).toMatchObject({ mllpIdleSeconds: 300, mllpMaxConnections: 64, mllpMaxMessageBytes: 1024 * 1024 });
  });
  it('reads them from the environment', () => {
    const c = loadConfig({ CUSTODIAN_MLLP_IDLE_SECONDS: '30', CUSTODIAN_MLLP_MAX_CONNECTIONS: '8', CUSTODIAN_MLLP_MAX_MESSAGE_BYTES: '65536' });
    expect(c).toMatchObject({ mllpIdleSeconds: 30, mllpMaxConnections: 8, mllpMaxMessageBytes: 65536 });
  });
  it.each([
    ['CUSTODIAN_MLLP_IDLE_SECONDS', '0'],
    ['CUSTODIAN_MLLP_MAX_CONNECTIONS', 'many'],
    ['CUSTODIAN_MLLP_MAX_MESSAGE_BYTES', '100'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
