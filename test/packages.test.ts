/**
 * The package rules (scripts/check-packages.ts) hold for this repository, and the checker really
 * finds each kind of break: a small tree of workspaces, written here, commits each one once.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkPackages } from '../scripts/check-packages';

const ROOT = path.resolve(__dirname, '..');

test('this repository keeps the package rules', () => {
  expect(checkPackages(ROOT).map((v) => `${v.file}:${v.line}: ${v.message}`)).toEqual([]);
});

describe('a tree breaking each rule once', () => {
  let dir: string;
  const put = (file: string, content: string | object) => {
    const full = path.join(dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
  };
  const pkg = (name: string, extra: object = {}) => ({
    name, version: '1.0.0', main: 'src/index.ts', types: 'src/index.ts', exports: { '.': './src/index.ts' }, ...extra,
  });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'check-packages-'));
    put('package.json', { name: 'fixture', private: true, workspaces: ['low', 'high', 'apps/*'], dependencies: { 'left-pad': '1.3.0' }, devDependencies: { 'is-odd': '3.0.1' }, anmulong: { layers: ['base', 'app'] } });
    // low: clean, except that it is declared to depend on high (which depends on it: a cycle, and upwards).
    put('low/package.json', pkg('@fx/low', { dependencies: { '@fx/high': '1.0.0' }, anmulong: { layer: 'base' } }));
    put('low/src/index.ts', "export * from './inner';\nimport type { High } from '@fx/high';\nexport type Both = High;\n");
    put('low/src/inner.ts', 'export const low = 1;\n');
    // high: each import breaks one rule; its test imports a devDependency (allowed).
    put('high/package.json', pkg('@fx/high', { dependencies: { '@fx/low': '1.0.0', 'left-pad': '1.2.0' }, devDependencies: { 'is-odd': '3.0.1' }, anmulong: { layer: 'app' } }));
    put('high/src/index.ts', [
      "import { low } from '@fx/low/src/inner';", // 1: reaches into low's files
      "import pad from 'left-pad';", // 2: declared, but at another version than the root pin (reported on package.json)
      "import odd from 'is-odd';", // 3: only a devDependency, imported by code
      "import { tool } from '../../apps/tool/src/index';", // 4: relative import leaving the package
      "import { again } from '@fx/high';", // 5: its own entry
      'export type High = number;',
      'export const all = [low, pad, odd, tool, again];',
      '',
    ].join('\n'));
    put('high/test/high.test.ts', "import odd from 'is-odd';\nimport { all } from '@fx/high';\nexport const t = [odd, all];\n");
    // apps/tool: main and an export point at files that do not exist; declares a package it never imports; names no layer.
    put('apps/tool/package.json', pkg('@fx/tool', { main: 'src/main.ts', exports: { '.': './src/index.ts', './cli': './src/cli.ts' }, dependencies: { 'left-pad': '1.3.0' } }));
    // The root's own scripts use the workspaces by name too (the first line is fine).
    put('scripts/run.ts', "import { low } from '@fx/low';\nimport { low as again } from '../low/src/inner';\nexport const both = [low, again];\n");
    put('apps/tool/src/index.ts', "import { low } from '@fx/low';\nexport const tool = low;\n"); // 2: undeclared workspace
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('each break is reported at its file and line', () => {
    const found = checkPackages(dir).map((v) => `${v.file}:${v.line}: ${v.message}`);
    expect(found).toEqual([
      "apps/tool/package.json:1: @fx/tool names no layer of the root's (base < app): add \"anmulong\": { \"layer\": \"…\" }",
      "apps/tool/package.json:4: @fx/tool's \"main\" src/main.ts does not exist",
      "apps/tool/package.json:8: @fx/tool's export \"./cli\" → ./src/cli.ts does not exist",
      'apps/tool/package.json:11: @fx/tool declares left-pad in dependencies but nothing in it imports it',
      'apps/tool/src/index.ts:1: @fx/tool imports @fx/low but does not declare it: add it to dependencies',
      'high/package.json:11: left-pad@1.2.0 differs from the root pin 1.3.0',
      "high/src/index.ts:1: '@fx/low/src/inner' reaches into @fx/low's files: import what it exports ('@fx/low')",
      'high/src/index.ts:3: @fx/high imports is-odd but does not declare it: add it to dependencies (it is only in devDependencies, but code outside the tests imports it)',
      "high/src/index.ts:4: relative import '../../apps/tool/src/index' leaves @fx/high (into @fx/tool): import the package by name through its exports",
      "high/src/index.ts:5: '@fx/high' is this package's own entry: import the module relatively (through the barrel it loads in a cycle)",
      'low/package.json:10: @fx/low (layer base) depends on @fx/high (layer app): a package depends only on lower layers (base < app)',
      'low/package.json:10: dependency cycle: @fx/high → @fx/low → @fx/high',
      "scripts/run.ts:2: relative import '../low/src/inner' leaves fixture (into @fx/low): import the package by name through its exports",
    ]);
  });
});
