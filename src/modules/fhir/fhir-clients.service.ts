/**
 * API clients and their tokens. `createClient` registers a client (a secret, or a JWK set for SMART Backend
 * Services); `issueToken` is the OAuth 2.0 client-credentials grant (RFC 6749 section 4.4) with a client secret
 * (client_secret_basic / client_secret_post) or a signed JWT assertion (RFC 7523, SMART Backend Services:
 * private_key_jwt, RS384 or ES384); `resolveToken` turns a bearer token into the caller. Tokens live
 * TOKEN_SECONDS and are stored as their SHA-256.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { invalid, invalidField, unauthenticated } from '../../core/errors.js';
import { newId } from '../../core/shared/ids.js';
import { isRole, Permission, requirePermission, roleHas, Role, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import type { FhirClientTable } from '../../db/schema-fhir.js';
import * as repo from './fhir.repository.js';
import { grantScopes, parseScopes, type ApiGrant } from './fhir.rules.js';
import type { FhirCaller, FhirDeps } from './fhir.service.js';

/** How long an access token lives (SMART Backend Services recommends at most 5 minutes). */
export const TOKEN_SECONDS = 300;
/** The algorithms a client assertion may be signed with (SMART Backend Services: RS384 and ES384 required). */
export const ASSERTION_ALGORITHMS = ['RS384', 'ES384', 'RS256', 'ES256'];
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

type ClientDeps = Pick<FhirDeps, 'db' | 'clock' | 'audit'>;

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

export const NewClientSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scope: z.string().trim().min(1).max(2000),
  /** The role whose permissions the client acts with (default coder: patients, encounters, coding and documents, read only). */
  role: z.string().default(Role.coder),
  patientId: z.string().min(1).max(64).optional(),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).optional(),
});
export type NewClient = z.input<typeof NewClientSchema>;

/** Registers a client; answers its id and, for a secret client, the secret (shown once, stored as a hash). */
export async function createClient(deps: ClientDeps, actor: Actor, input: NewClient): Promise<{ clientId: string; clientSecret?: string }> {
  if (!actor.system) await requirePermission(deps, actor, Permission.userAdmin, { type: 'fhir_client' });
  const c = NewClientSchema.parse(input);
  const { scopes, unknown } = parseScopes(c.scope);
  if (unknown.length) throw invalidField('scope', `not a SMART resource scope: ${unknown.join(' ')}`);
  if (scopes.some((s) => s.context === 'user')) throw invalidField('scope', 'user/ scopes are for signed-in users, not clients');
  if (scopes.some((s) => s.context === 'patient') && !c.patientId)
    throw invalidField('patient', 'patient/ scopes need the patient they are bound to');
  if (!isRole(c.role) || !roleHas(c.role, Permission.patientRead)) throw invalidField('role', 'a role that may read patient records');
  const clientId = newId();
  const secret = c.jwks ? undefined : randomBytes(32).toString('base64url');
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertClient(trx, {
      id: clientId,
      name: c.name,
      secret_hash: secret ? sha256(secret) : null,
      jwks: c.jwks ? JSON.stringify(c.jwks) : null,
      scopes: scopes.map((s) => s.text).join(' '),
      role: c.role,
      patient_id: c.patientId ?? null,
      disabled: 0,
      created_by: actor.username,
      created_at: deps.clock.now().toISOString(),
    });
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.create,
      resourceType: 'fhir_client',
      resourceId: clientId,
      outcome: 'success',
    });
  });
  return { clientId, ...(secret ? { clientSecret: secret } : {}) };
}

/** The actor a client acts as: its own id (audited under `fhir-client:<id>`) and its registered role. */
export function clientActor(c: FhirClientTable, requester: { ip: string; userAgent: string | null }): Actor {
  return {
    userId: `fhir-client:${c.id}`,
    username: `fhir:${c.name}`,
    role: isRole(c.role) ? c.role : Role.auditor,
    purposeOfUse: 'HOPERAT',
    ip: requester.ip,
    userAgent: requester.userAgent,
  };
}

/** An OAuth error answer (RFC 6749 section 5.2): `error` is the OAuth code. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'invalid_scope' | 'unsupported_grant_type',
    message: string,
  ) {
    super(message);
    this.name = 'OAuthError';
  }
}

const TokenRequestSchema = z.object({
  grant_type: z.string(),
  scope: z.string().max(2000).optional(),
  client_id: z.string().max(64).optional(),
  client_secret: z.string().max(200).optional(),
  client_assertion_type: z.string().optional(),
  client_assertion: z.string().max(20_000).optional(),
});

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  patient?: string;
}

/**
 * The client-credentials grant. `basic` is the client id and secret of an Authorization: Basic header; `audience`
 * the token endpoint's URL, which an assertion's `aud` must name. Refusals are audited (token_refused).
 */
export async function issueToken(
  deps: ClientDeps,
  body: unknown,
  opts: { basic?: { id: string; secret: string }; audience: string; requester: { ip: string; userAgent: string | null } },
): Promise<TokenAnswer> {
  const parsed = TokenRequestSchema.safeParse(body);
  if (!parsed.success) throw new OAuthError('invalid_request', 'a form with grant_type and the client credentials');
  const req = parsed.data;
  if (req.grant_type !== 'client_credentials') throw new OAuthError('unsupported_grant_type', 'only client_credentials is supported');
  const client = await authenticateClient(deps, req, opts);
  const registered = parseScopes(client.scopes).scopes;
  const asked = req.scope === undefined ? undefined : parseScopes(req.scope);
  if (asked?.unknown.length) throw new OAuthError('invalid_scope', `not a SMART resource scope: ${asked.unknown.join(' ')}`);
  const granted = grantScopes(registered, asked?.scopes);
  if (granted.length === 0) throw new OAuthError('invalid_scope', 'none of the requested scopes is granted to this client');
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const scope = granted.map((s) => s.text).join(' ');
  await deps.db.transaction().execute(async (trx) => {
    await repo.sweepExpired(trx, now.toISOString());
    await repo.insertToken(trx, {
      token_hash: sha256(token),
      client_id: client.id,
      scopes: scope,
      issued_at: now.toISOString(),
      expires_at: new Date(now.getTime() + TOKEN_SECONDS * 1000).toISOString(),
    });
    await recordAudit(trx, deps.audit, clientActor(client, opts.requester), {
      action: AuditAction.tokenIssued,
      resourceType: 'fhir_client',
      resourceId: client.id,
      outcome: 'success',
      detail: { scope },
    });
  });
  const patientBound = granted.some((s) => s.context === 'patient') && client.patient_id;
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: TOKEN_SECONDS,
    scope,
    ...(patientBound ? { patient: client.patient_id! } : {}),
  };
}

async function authenticateClient(
  deps: ClientDeps,
  req: z.infer<typeof TokenRequestSchema>,
  opts: { basic?: { id: string; secret: string }; audience: string; requester: { ip: string; userAgent: string | null } },
): Promise<FhirClientTable> {
  const refuse = async (clientId: string | undefined, reason: string): Promise<never> => {
    await deps.db.transaction().execute((trx) =>
      recordAudit(
        trx,
        deps.audit,
        {
          userId: clientId ? `fhir-client:${clientId}` : 'fhir-client:unknown',
          username: 'fhir',
          role: Role.auditor,
          ip: opts.requester.ip,
        },
        {
          action: AuditAction.tokenRefused,
          resourceType: 'fhir_client',
          resourceId: clientId ?? null,
          outcome: 'denied',
          detail: { reason },
        },
      ),
    );
    throw new OAuthError('invalid_client', 'client authentication failed');
  };
  if (req.client_assertion !== undefined || req.client_assertion_type !== undefined) {
    if (req.client_assertion_type !== ASSERTION_TYPE || !req.client_assertion)
      throw new OAuthError('invalid_request', `client_assertion_type must be ${ASSERTION_TYPE}`);
    const assertion = req.client_assertion;
    const iss = issuerOf(assertion);
    const client = iss ? await repo.findClient(deps.db, iss) : undefined;
    if (!client?.jwks || client.disabled === 1) return refuse(iss, 'unknown client or no keys');
    try {
      const keys = createLocalJWKSet(JSON.parse(client.jwks) as JSONWebKeySet);
      const { payload } = await jwtVerify(assertion, keys, {
        issuer: client.id,
        subject: client.id,
        audience: opts.audience,
        algorithms: ASSERTION_ALGORITHMS,
        currentDate: deps.clock.now(),
        maxTokenAge: '5m',
        requiredClaims: ['exp', 'jti'],
      });
      const exp = new Date((payload.exp ?? 0) * 1000).toISOString();
      if (!(await repo.useAssertionJti(deps.db, client.id, String(payload.jti), exp))) return await refuse(client.id, 'assertion replayed');
    } catch (e) {
      if (e instanceof OAuthError) throw e;
      return refuse(client.id, 'assertion not valid');
    }
    return client;
  }
  const id = opts.basic?.id ?? req.client_id;
  const secret = opts.basic?.secret ?? req.client_secret;
  if (!id || !secret) throw new OAuthError('invalid_client', 'client authentication failed');
  const client = await repo.findClient(deps.db, id);
  if (!client?.secret_hash || client.disabled === 1) return refuse(id, 'unknown client or no secret');
  const a = Buffer.from(sha256(secret));
  const b = Buffer.from(client.secret_hash);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return refuse(id, 'wrong secret');
  return client;
}

/** The `iss` of a JWT, unverified (only to find the client whose keys verify it). */
function issuerOf(jwt: string): string | undefined {
  const part = jwt.split('.')[1];
  if (!part) return undefined;
  try {
    const iss = (JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { iss?: unknown }).iss;
    return typeof iss === 'string' && iss.length <= 64 ? iss : undefined;
  } catch {
    return undefined;
  }
}

/** The caller behind a bearer token, or an `unauthenticated` error (unknown, expired, or its client disabled). */
export async function resolveToken(
  deps: ClientDeps,
  token: string,
  requester: { ip: string; userAgent: string | null },
): Promise<FhirCaller> {
  if (token.length > 200) throw unauthenticated('the access token is not valid');
  const row = await repo.findToken(deps.db, sha256(token));
  if (!row || row.expires_at <= deps.clock.now().toISOString()) throw unauthenticated('the access token is not valid or has expired');
  const client = await repo.findClient(deps.db, row.client_id);
  if (!client || client.disabled === 1) throw unauthenticated('the access token is not valid');
  const grant: ApiGrant = { scopes: parseScopes(row.scopes).scopes, patientId: client.patient_id };
  return { actor: clientActor(client, requester), grant };
}

/** A web-session user's grant: every resource type and interaction, on top of the role's rules (SMART `user/*.cruds`). */
export function sessionGrant(): ApiGrant {
  return { scopes: parseScopes('user/*.cruds').scopes, patientId: null };
}

/** Lists the registered clients (no secrets, no keys). */
export async function listClients(
  deps: ClientDeps,
  actor: Actor,
): Promise<{ clientId: string; name: string; scope: string; role: string; patientId: string | null; auth: 'secret' | 'jwks' }[]> {
  if (!actor.system) await requirePermission(deps, actor, Permission.userAdmin, { type: 'fhir_client' });
  return (await repo.listClients(deps.db)).map((c) => ({
    clientId: c.id,
    name: c.name,
    scope: c.scopes,
    role: c.role,
    patientId: c.patient_id,
    auth: c.jwks ? 'jwks' : 'secret',
  }));
}

/** Reads a JWK set file's JSON, refusing private keys (a client registers its public keys only). */
export function parseJwks(text: string): { keys: Record<string, unknown>[] } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidField('jwks', 'a JSON JWK set ({"keys": [...]})');
  }
  const r = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).safeParse(v);
  if (!r.success) throw invalidField('jwks', 'a JSON JWK set ({"keys": [...]})');
  if (r.data.keys.some((k) => 'd' in k)) throw invalid('jwks: holds a private key; register the public keys only');
  return r.data;
}
