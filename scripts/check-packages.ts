/**
 * The workspaces are packages, not folders: this checks the rules that make them so, from the
 * package.json files and every import (static, `require`, `import()`, `import type`) of every
 * TypeScript/JavaScript file, and reports each break as `file:line: message`.
 *   - A workspace is imported only through its `exports` (never `@anmulong/x/src/...`), and a
 *     package's own modules import each other relatively, never through their own name (the
 *     barrel would load them in a cycle).
 *   - Every import is declared: an npm package or a workspace a package's code imports is in its
 *     `dependencies`; its tests may use `devDependencies` too. Declared versions are the exact
 *     versions pinned in the root package.json (workspaces: their own version); a declaration
 *     nothing imports is reported too, so package.json stays true to the code.
 *   - A relative import stays inside its package (the root's `bench/` and `scripts/` do not reach
 *     into a workspace's files either).
 *   - `dependencies` between workspaces have no cycle (tests may depend back, e.g. on the test kit),
 *     and point only downwards: each workspace names its layer (`"anmulong": { "layer": "…" }`),
 *     the root lists the layers lowest first (`"anmulong": { "layers": [...] }`), and a package
 *     depends only on packages of lower layers (so the shared base depends on nothing built on it,
 *     and departments never on each other).
 *   - `main`, `types` and every `exports` target exist.
 *   - A package marked `"anmulong": { "testOnly": true }` (the test kit) is all test code: it may
 *     use devDependencies, and no package has it among its `dependencies`.
 *
 *   npx tsx scripts/check-packages.ts [DIR]   exits 1 listing what breaks them (also a test)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

export interface Violation {
  /** Relative to the checked tree, `/`-separated. */
  file: string;
  line: number;
  message: string;
}

interface Manifest {
  name: string;
  version?: string;
  main?: string;
  types?: string;
  exports?: unknown;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  /**
   * `testOnly`: a package only tests use (the test kit): all of it may use devDependencies.
   * `layer`: where a workspace sits; `layers` (the root's): every layer, lowest first.
   */
  anmulong?: { testOnly?: boolean; layer?: string; layers?: string[] };
}

interface Pkg {
  dir: string; // absolute
  manifestFile: string;
  manifestText: string;
  manifest: Manifest;
  isRoot: boolean;
}

interface Import {
  specifier: string;
  line: number;
  /** A computed specifier's literal start (`@anmulong/${name}`): it may name any package so prefixed. */
  prefixOnly?: boolean;
}

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', '.data', '.git', 'dist', 'coverage']);
const BUILTINS = new Set(builtinModules);

const toPosix = (p: string) => p.split(path.sep).join('/');

function readManifest(dir: string, isRoot: boolean): Pkg {
  const manifestFile = path.join(dir, 'package.json');
  const manifestText = readFileSync(manifestFile, 'utf8');
  return { dir, manifestFile, manifestText, manifest: JSON.parse(manifestText) as Manifest, isRoot };
}

/** The workspace folders of the root's `workspaces` (a folder, or `folder/*`). */
function workspaceDirs(root: string, patterns: string[]): string[] {
  const dirs: string[] = [];
  for (const pattern of patterns) {
    if (pattern.endsWith('/*')) {
      const parent = path.join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent).sort()) {
        const dir = path.join(parent, entry);
        if (existsSync(path.join(dir, 'package.json'))) dirs.push(dir);
      }
    } else if (existsSync(path.join(root, pattern, 'package.json'))) {
      dirs.push(path.join(root, pattern));
    }
  }
  return dirs;
}

function sourceFiles(dir: string, exclude: Set<string>): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIP_DIRS.has(entry.name) || entry.name.startsWith('.') || exclude.has(full)) continue;
      out.push(...sourceFiles(full, exclude));
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(full);
    }
  }
  return out;
}

/** Every module specifier a file names, with its line. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): Import[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Import[] = [];
  const lineOf = (node: ts.Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const add = (node: ts.Expression | undefined) => {
    if (!node) return;
    if (ts.isStringLiteralLike(node)) found.push({ specifier: node.text, line: lineOf(node) });
    // A computed name counts only when its literal start names a scope (`@anmulong/${name}`).
    else if (ts.isTemplateExpression(node) && /^@[^/]+\//.test(node.head.text)) found.push({ specifier: node.head.text, line: lineOf(node), prefixOnly: true });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal as ts.Expression);
    else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const callee = node.expression;
      const name = callee.kind === ts.SyntaxKind.ImportKeyword ? 'import' : callee.getText(sf);
      if (['import', 'require', 'require.resolve', 'jest.mock', 'jest.requireActual'].includes(name)) add(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** `@scope/name/sub/path` → [`@scope/name`, `./sub/path`]; `name` → [`name`, `.`]. */
export function splitSpecifier(specifier: string): [string, string] {
  const parts = specifier.split('/');
  const n = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(n).join('/');
  return [parts.slice(0, n).join('/'), rest ? `./${rest}` : '.'];
}

/** The `exports` map's subpaths and their targets (a string export is `.`). */
function exportsMap(exp: unknown): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const targets = (v: unknown): string[] =>
    typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v as Record<string, unknown>).flatMap(targets) : [];
  if (typeof exp === 'string' || (exp && typeof exp === 'object' && !Object.keys(exp).some((k) => k.startsWith('.')))) {
    map.set('.', targets(exp));
  } else if (exp && typeof exp === 'object') {
    for (const [key, v] of Object.entries(exp as Record<string, unknown>)) map.set(key, targets(v));
  }
  return map;
}

/** The 1-based line of `"key"` in a package.json (after `"section"` when given), else 1. */
function manifestLine(text: string, key: string, section?: string): number {
  const from = section ? Math.max(0, text.indexOf(`"${section}"`)) : 0;
  const at = text.indexOf(`"${key}"`, from);
  return at < 0 ? 1 : text.slice(0, at).split('\n').length;
}

/** Test code (a package's `test/` folders and `*.test.*` files) may use devDependencies. */
const isTestFile = (pkgDir: string, file: string) => {
  const rel = toPosix(path.relative(pkgDir, file));
  return rel.split('/').includes('test') || /\.test\.[a-z]+$/.test(rel);
};

export function checkPackages(root: string): Violation[] {
  root = path.resolve(root);
  const violations: Violation[] = [];
  const report = (file: string, line: number, message: string) => violations.push({ file: toPosix(path.relative(root, file)), line, message });

  const rootPkg = readManifest(root, true);
  const workspaces = workspaceDirs(root, rootPkg.manifest.workspaces ?? []).map((dir) => readManifest(dir, false));
  const byName = new Map(workspaces.map((p) => [p.manifest.name, p]));
  const pinned: Record<string, string> = { ...rootPkg.manifest.devDependencies, ...rootPkg.manifest.dependencies };

  // Entry points that must exist.
  for (const pkg of workspaces) {
    const { manifest, manifestFile, manifestText } = pkg;
    const exports = exportsMap(manifest.exports);
    if (manifest.exports === undefined) report(manifestFile, 1, `${manifest.name} has no "exports" map: say which files are its public entry`);
    else if (!exports.has('.')) report(manifestFile, manifestLine(manifestText, 'exports'), `${manifest.name}'s "exports" has no "." entry`);
    for (const field of ['main', 'types'] as const) {
      const target = manifest[field];
      if (!target) report(manifestFile, 1, `${manifest.name} has no "${field}"`);
      else if (!existsSync(path.join(pkg.dir, target))) report(manifestFile, manifestLine(manifestText, field), `${manifest.name}'s "${field}" ${target} does not exist`);
    }
    for (const [subpath, targets] of exports) {
      for (const target of targets) {
        if (!existsSync(path.join(pkg.dir, target))) {
          report(manifestFile, manifestLine(manifestText, subpath, 'exports'), `${manifest.name}'s export "${subpath}" → ${target} does not exist`);
        }
      }
    }
  }

  // Imports: through exports, declared, not escaping.
  const used = new Map<Pkg, Set<string>>([rootPkg, ...workspaces].map((p) => [p, new Set<string>()]));
  const workspaceDirSet = new Set(workspaces.map((p) => p.dir));
  const ownerOf = (file: string) => workspaces.find((p) => file.startsWith(p.dir + path.sep)) ?? rootPkg;
  for (const pkg of [rootPkg, ...workspaces]) {
    const files = sourceFiles(pkg.dir, pkg.isRoot ? workspaceDirSet : new Set());
    const { manifest } = pkg;
    for (const file of files) {
      const test = pkg.isRoot || manifest.anmulong?.testOnly === true || isTestFile(pkg.dir, file);
      for (const imp of importsOf(file)) {
        const spec = imp.specifier;
        if (spec.startsWith('.') || spec.startsWith('/')) {
          if (imp.prefixOnly) continue;
          const target = path.resolve(path.dirname(file), spec);
          const owner = ownerOf(target);
          if (owner !== pkg || (pkg.isRoot && workspaces.some((w) => target === w.dir))) {
            const into = owner.isRoot ? 'outside it' : `into ${owner.manifest.name}`;
            report(file, imp.line, `relative import '${spec}' leaves ${manifest.name} (${into}): import the package by name through its exports`);
          }
          continue;
        }
        if (spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0])) continue;
        if (imp.prefixOnly) {
          // `@anmulong/${name}`: counts as using every declared dependency it could name.
          for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) if (dep.startsWith(spec)) used.get(pkg)!.add(dep);
          continue;
        }
        const [name, subpath] = splitSpecifier(spec);
        const target = byName.get(name);
        if (target) {
          if (!exportsMap(target.manifest.exports).has(subpath)) {
            report(file, imp.line, `'${spec}' reaches into ${name}'s files: import what it exports ('${name}'${[...exportsMap(target.manifest.exports).keys()].filter((k) => k !== '.').map((k) => `, '${name}${k.slice(1)}'`).join('')})`);
          }
          if (target === pkg) {
            if (!test) report(file, imp.line, `'${spec}' is this package's own entry: import the module relatively (through the barrel it loads in a cycle)`);
            continue;
          }
        }
        used.get(pkg)!.add(name);
        if (pkg.isRoot && target) continue; // the root holds every workspace
        const inDeps = manifest.dependencies?.[name] !== undefined;
        const inDev = manifest.devDependencies?.[name] !== undefined;
        if (!inDeps && !(test && inDev)) {
          const where = test ? 'dependencies or devDependencies' : inDev ? 'dependencies (it is only in devDependencies, but code outside the tests imports it)' : 'dependencies';
          report(file, imp.line, `${manifest.name} imports ${name} but does not declare it: add it to ${where}`);
        }
      }
    }
  }

  // Declarations: exact pins, nothing stale.
  for (const pkg of workspaces) {
    const { manifest, manifestFile, manifestText } = pkg;
    for (const section of ['dependencies', 'devDependencies'] as const) {
      for (const [dep, version] of Object.entries(manifest[section] ?? {})) {
        const line = manifestLine(manifestText, dep, section);
        const ws = byName.get(dep);
        const want = ws ? ws.manifest.version : pinned[dep];
        if (want === undefined) report(manifestFile, line, `${dep} is not pinned in the root package.json: pin it there first`);
        else if (version !== want) report(manifestFile, line, `${dep}@${version} differs from ${ws ? 'its version' : 'the root pin'} ${want}`);
        if (!used.get(pkg)!.has(dep)) report(manifestFile, line, `${manifest.name} declares ${dep} in ${section} but nothing in it imports it`);
        if (section === 'devDependencies' && manifest.dependencies?.[dep] !== undefined) report(manifestFile, line, `${dep} is in both dependencies and devDependencies`);
        if (section === 'dependencies' && ws?.manifest.anmulong?.testOnly) {
          report(manifestFile, line, `${dep} is for tests only: it may be among devDependencies, never dependencies`);
        }
      }
    }
  }

  // Layers: every workspace names one of the root's; `dependencies` point to lower layers only.
  const layers = rootPkg.manifest.anmulong?.layers ?? [];
  const layerOf = (p: Pkg) => layers.indexOf(p.manifest.anmulong?.layer ?? '');
  for (const pkg of workspaces) {
    const { manifest, manifestFile, manifestText } = pkg;
    if (layerOf(pkg) < 0) {
      report(manifestFile, manifest.anmulong?.layer ? manifestLine(manifestText, 'layer') : 1,
        `${manifest.name} names no layer of the root's (${layers.join(' < ') || 'none listed'}): add "anmulong": { "layer": "…" }`);
      continue;
    }
    for (const dep of Object.keys(manifest.dependencies ?? {}).filter((d) => byName.has(d)).sort()) {
      const target = byName.get(dep)!;
      if (layerOf(target) >= 0 && layerOf(target) >= layerOf(pkg)) {
        report(manifestFile, manifestLine(manifestText, dep, 'dependencies'),
          `${manifest.name} (layer ${manifest.anmulong!.layer}) depends on ${dep} (layer ${target.manifest.anmulong!.layer}): a package depends only on lower layers (${layers.join(' < ')})`);
      }
    }
  }

  // No cycle through `dependencies` (devDependencies may point back: tests are not the package).
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string) => {
    state.set(name, 'open');
    stack.push(name);
    const pkg = byName.get(name)!;
    for (const dep of Object.keys(pkg.manifest.dependencies ?? {}).filter((d) => byName.has(d)).sort()) {
      if (state.get(dep) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        report(pkg.manifestFile, manifestLine(pkg.manifestText, dep, 'dependencies'), `dependency cycle: ${cycle.join(' → ')}`);
      } else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of [...byName.keys()].sort()) if (!state.has(name)) visit(name);

  return violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Each workspace, lowest first (each after what it depends on), with the workspaces it depends on. */
export function workspaceLayers(root: string): { name: string; folder: string; description: string; layer: string; dependsOn: string[] }[] {
  root = path.resolve(root);
  const pkgs = workspaceDirs(root, readManifest(root, true).manifest.workspaces ?? []).map((d) => readManifest(d, false));
  const names = new Set(pkgs.map((p) => p.manifest.name));
  const depsOf = (p: Pkg) => Object.keys(p.manifest.dependencies ?? {}).filter((d) => names.has(d)).sort();
  const depth = new Map<string, number>();
  const depthOf = (p: Pkg, seen: string[] = []): number => {
    if (depth.has(p.manifest.name)) return depth.get(p.manifest.name)!;
    if (seen.includes(p.manifest.name)) return 0; // a cycle: checkPackages reports it
    const d = Math.max(-1, ...depsOf(p).map((n) => depthOf(pkgs.find((q) => q.manifest.name === n)!, [...seen, p.manifest.name]))) + 1;
    depth.set(p.manifest.name, d);
    return d;
  };
  return pkgs
    .map((p) => ({ name: p.manifest.name, folder: toPosix(path.relative(root, p.dir)), description: (p.manifest as { description?: string }).description ?? '', layer: p.manifest.anmulong?.layer ?? '', dependsOn: depsOf(p), depth: depthOf(p) }))
    .sort((a, b) => a.depth - b.depth || a.folder.localeCompare(b.folder))
    .map(({ depth: _depth, ...rest }) => rest);
}

if (require.main === module) {
  const root = process.argv[2] ?? path.resolve(__dirname, '..');
  if (!statSync(root).isDirectory()) throw new Error(`${root} is not a directory`);
  const found = checkPackages(root);
  for (const v of found) console.error(`${v.file}:${v.line}: ${v.message}`);
  if (found.length) {
    console.error(`${found.length} package rule${found.length === 1 ? '' : 's'} broken`);
    process.exit(1);
  }
  console.log('packages: every import goes through exports, is declared, stays inside its package; dependencies point to lower layers, no cycles');
}
