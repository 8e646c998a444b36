import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('MLLP listener settings', () => {
  it('defaults to a 5-minute idle timeout, 64 connections and 1 MiB messages', () => {
    expect(loadConfig({})).toMatchObject({ mllpIdleSeconds: 300, mllpMaxConnections: 64, mllpMaxMessageBytes: 1024 * 1024 });
  });
  it('reads them from the environment', () => {
    const c = loadConfig({
      CUSTODIAN_MLLP_IDLE_SECONDS: '30',
      CUSTODIAN_MLLP_MAX_CONNECTIONS: '8',
      CUSTODIAN_MLLP_MAX_MESSAGE_BYTES: '65536',
    });
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

describe('code-set snapshot folder', () => {
  it('is codesets under the var dir unless CUSTODIAN_CODESETS_DIR names one', () => {
    expect(loadConfig({ CUSTODIAN_VAR_DIR: '/srv/custodian' }).codesetsDir).toBe('/srv/custodian/codesets');
    expect(loadConfig({ CUSTODIAN_VAR_DIR: '/srv/custodian', CUSTODIAN_CODESETS_DIR: '/opt/codesets' }).codesetsDir).toBe('/opt/codesets');
  });
});

describe('caller defaults', () => {
  it('replace built-in defaults but yield to the environment and to flags', () => {
    expect(loadConfig({}, {}, { logLevel: 'warn' }).logLevel).toBe('warn');
    expect(loadConfig({ CUSTODIAN_LOG_LEVEL: 'debug' }, {}, { logLevel: 'warn' }).logLevel).toBe('debug');
    expect(loadConfig({ CUSTODIAN_LOG_LEVEL: 'debug' }, { logLevel: 'error' }, { logLevel: 'warn' }).logLevel).toBe('error');
  });
});

describe('outgoing mail settings', () => {
  it('leave mail off unless CUSTODIAN_SMTP_URL is set, and read the From address', () => {
    expect(loadConfig({}).smtpUrl).toBeUndefined();
    const c = loadConfig({ CUSTODIAN_SMTP_URL: 'smtp://mail.example.org:2525', CUSTODIAN_MAIL_FROM: 'clinic@example.org' });
    expect(c).toMatchObject({ smtpUrl: 'smtp://mail.example.org:2525', mailFrom: 'clinic@example.org' });
  });
  it.each([
    ['CUSTODIAN_SMTP_URL', 'http://mail.example.org'],
    ['CUSTODIAN_MAIL_FROM', 'not an address'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});

describe('outbound HL7 SIU destination', () => {
  it('is off unless CUSTODIAN_SIU_DESTINATION names host:port', () => {
    expect(loadConfig({}).siuDestination).toBeUndefined();
    expect(loadConfig({ CUSTODIAN_SIU_DESTINATION: 'ris.example.org:2575' }).siuDestination).toEqual({
      host: 'ris.example.org',
      port: 2575,
    });
    expect(() => loadConfig({ CUSTODIAN_SIU_DESTINATION: 'ris.example.org' })).toThrow('CUSTODIAN_SIU_DESTINATION');
  });
});

describe('outbound HL7 MDM destination (signed transcriptions)', () => {
  it('is off unless CUSTODIAN_MDM_DESTINATION names host:port', () => {
    expect(loadConfig({}).mdmDestination).toBeUndefined();
    expect(loadConfig({ CUSTODIAN_MDM_DESTINATION: 'emr.example.org:6661' }).mdmDestination).toEqual({
      host: 'emr.example.org',
      port: 6661,
    });
    expect(() => loadConfig({ CUSTODIAN_MDM_DESTINATION: 'emr.example.org' })).toThrow('CUSTODIAN_MDM_DESTINATION');
  });
});

describe('X12 interchange parties', () => {
  it('default to ZZ CUSTODIAN sending to ZZ RECEIVER and read the environment', () => {
    expect(loadConfig({})).toMatchObject({ x12SenderQualifier: 'ZZ', x12SenderId: 'CUSTODIAN', x12ReceiverId: 'RECEIVER' });
    const c = loadConfig({
      CUSTODIAN_X12_SENDER_QUALIFIER: '30',
      CUSTODIAN_X12_SENDER_ID: '123456789',
      CUSTODIAN_X12_RECEIVER_ID: 'CLEARHOUSE1',
    });
    expect(c).toMatchObject({ x12SenderQualifier: '30', x12SenderId: '123456789', x12ReceiverId: 'CLEARHOUSE1' });
  });
  it.each([
    ['CUSTODIAN_X12_SENDER_ID', 'SIXTEEN-CHARS-ID'],
    ['CUSTODIAN_X12_RECEIVER_QUALIFIER', 'Z'],
    ['CUSTODIAN_X12_CONTACT_PHONE', '555-0100'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
