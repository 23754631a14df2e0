import { readFlags } from '../measure';

/**
 * The first three run by default; the variants (opt-in with --gateways) turn off in-flight
 * deduplication (`-nodedupe`) or the access log (`anmulong-noaudit`, to measure its cost).
 */
export const GATEWAYS = ['anmulong', 'apollo-plain', 'hive', 'anmulong-nodedupe', 'hive-nodedupe', 'anmulong-noaudit'] as const;
const DEFAULT_GATEWAYS: GatewayKind[] = ['anmulong', 'apollo-plain', 'hive'];
export type GatewayKind = (typeof GATEWAYS)[number];
/** `household`, `chain`, `page`, and with --single-key the same with `-1key`. */
export type OpName = string;

/** The command line (see the header of runner.ts). */
export interface Flags {
  scale: number;
  duration: number;
  connections: number;
  rounds: number;
  warmup: number;
  pool: number;
  users: string[];
  singleKey: boolean;
  purpose: string;
  gateways: GatewayKind[];
  subgraphs: string[] | null;
  profile: boolean;
  profileOnly: boolean;
  inMemory: boolean;
  out: string | null;
}

export function parseFlags(argv: string[]): Flags {
  const f: Flags = {
    scale: 1,
    duration: 10,
    connections: 20,
    rounds: 3,
    warmup: 3,
    pool: 2000,
    users: ['analyst', 'police.officer', 'mediator', 'caseworker', 'judge', 'organizer', 'gridworker'],
    singleKey: false,
    purpose: 'performance benchmark',
    gateways: [...DEFAULT_GATEWAYS],
    subgraphs: null,
    profile: true,
    profileOnly: false,
    inMemory: false,
    out: null,
  };
  readFlags(argv, 'bench/gateway/runner.ts', ({ flag, value, num }) => {
    switch (flag) {
      case '--scale': f.scale = num(); return true;
      case '--duration': f.duration = num(); return true;
      case '--connections': f.connections = Math.round(num()); return true;
      case '--rounds': f.rounds = Math.round(num()); return true;
      case '--warmup': f.warmup = Number(value()); return true;
      case '--pool': f.pool = Math.round(num()); return true;
      case '--users': f.users = value().split(',').map((s) => s.trim()).filter(Boolean); return true;
      case '--role': f.users = [value()]; return true;
      case '--single-key': f.singleKey = true; return true;
      case '--purpose': f.purpose = value(); return true;
      case '--gateways': {
        const g = value().split(',').map((s) => s.trim()) as GatewayKind[];
        for (const k of g) if (!GATEWAYS.includes(k)) throw new Error(`unknown gateway ${k}`);
        f.gateways = g;
        return true;
      }
      case '--subgraphs': f.subgraphs = value().split(',').map((s) => s.trim()); return true;
      case '--no-profile': f.profile = false; return true;
      case '--profile-only': f.profileOnly = true; return true;
      case '--in-memory': f.inMemory = true; return true;
      case '--out': f.out = value(); return true;
      default: return false;
    }
  });
  return f;
}
