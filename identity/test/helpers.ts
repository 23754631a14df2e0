import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** The CONTRACT's demo users (Identity section). `department: null` is the table's "—". */
export const DEMO_USERS: ReadonlyArray<{ username: string; role: string; department: string | null; jurisdiction: string }> = [
  { username: 'admin', role: 'platform-admin', department: null, jurisdiction: '150624' },
  { username: 'police.officer', role: 'police-officer', department: 'police', jurisdiction: '150624101' },
  { username: 'police.admin', role: 'police-admin', department: 'police', jurisdiction: '150624' },
  { username: 'mediator', role: 'mediator', department: 'mediation', jurisdiction: '150624100' },
  { username: 'mediation.admin', role: 'mediation-admin', department: 'mediation', jurisdiction: '150624' },
  { username: 'judge', role: 'judge', department: 'court', jurisdiction: '150624' },
  { username: 'court.admin', role: 'court-admin', department: 'court', jurisdiction: '150624' },
  { username: 'caseworker', role: 'civil-affairs-caseworker', department: 'civil-affairs', jurisdiction: '150624102' },
  { username: 'civil.admin', role: 'civil-affairs-admin', department: 'civil-affairs', jurisdiction: '150624' },
  { username: 'organizer', role: 'party-organizer', department: 'party-building', jurisdiction: '150624' },
  { username: 'party.admin', role: 'party-building-admin', department: 'party-building', jurisdiction: '150624' },
  // The first grid of the first village of Ulan (150624100).
  { username: 'gridworker', role: 'grid-worker', department: 'registry', jurisdiction: '150624100001001' },
  { username: 'registry.admin', role: 'registry-admin', department: 'registry', jurisdiction: '150624' },
  { username: 'analyst', role: 'analyst', department: null, jurisdiction: '150624' },
  { username: 'auditor', role: 'auditor', department: null, jurisdiction: '150624' },
];

export const REALM_ROLES = [
  'platform-admin', 'police-officer', 'police-admin', 'mediator', 'mediation-admin', 'judge', 'court-admin',
  'civil-affairs-caseworker', 'civil-affairs-admin', 'party-organizer', 'party-building-admin', 'grid-worker',
  'registry-admin', 'analyst', 'auditor',
];

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `anmulong-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function postForm<T = Record<string, unknown>>(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<HttpResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

export async function getJson<T = Record<string, unknown>>(url: string, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

export function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}

export const tokenUrl = (base: string) => `${base}/realms/otog/protocol/openid-connect/token`;

export async function passwordGrant(base: string, username: string, password = 'anmulong', extra: Record<string, string> = {}) {
  return postForm<Record<string, unknown>>(tokenUrl(base), { grant_type: 'password', client_id: 'anmulong-web', username, password, ...extra });
}
