/**
 * The folder-level import graph and the rule it must keep: imports run one way, from the code that is
 * composed (functions, CDK, the console, the local runtime, benchmarks, tests) down to the shared core and
 * its vocabulary. `npm run import-graph` writes the picture to docs/import-graph.md;
 * test/unit/import-direction.test.ts fails on an import against the rule or a stale picture.
 *
 * Imports are read syntactically (TypeScript's preProcessFile: static, type-only, re-exports and dynamic
 * `import('…')` with a literal path), resolved relative or through package.json "imports" (#domain/…).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './paths.ts';

/**
 * The layers, each a set of folders (or files); every source file belongs to exactly one. The domain and
 * its ports are one layer, the hexagon's inside: ports speak domain types, domain use cases take ports.
 */
export const LAYERS = {
  'shared/vocabulary': ['shared/vocabulary'],
  'shared/domain + ports': ['shared/domain', 'shared/ports'],
  'shared/adapters/aws': ['shared/adapters/aws'],
  'shared/adapters/in-process': ['shared/adapters/in-process'],
  'shared/middleware': ['shared/middleware'],
  'shared/config.ts': ['shared/config.ts'],
  'shared/types': ['shared/types'],
  events: ['events'],
  functions: ['functions'],
  console: ['console'],
  cdk: ['cdk'],
  local: ['local'],
  bench: ['bench'],
  test: ['test'],
} as const satisfies Record<string, readonly string[]>;
export type Layer = keyof typeof LAYERS;
const LAYER_NAMES = Object.keys(LAYERS) as Layer[];

const CORE = ['shared/domain + ports', 'events', 'shared/vocabulary'] as const satisfies Layer[];
const LAMBDA_CODE = [...CORE, 'shared/adapters/aws', 'shared/adapters/in-process', 'shared/middleware', 'shared/config.ts', 'shared/types'] as const satisfies Layer[];

/**
 * What each layer may import besides itself: functions → shared → events → vocabulary; the domain and
 * ports know no adapter and no middleware; the console sees the domain's types and the vocabulary; local,
 * bench and test may import everything below them. A function folder may not import another function's.
 */
export const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  'shared/vocabulary': [],
  events: ['shared/vocabulary'],
  'shared/domain + ports': ['events', 'shared/vocabulary'],
  'shared/types': [],
  'shared/adapters/aws': [...CORE, 'shared/types'],
  'shared/adapters/in-process': [...CORE, 'shared/types'],
  'shared/middleware': [...CORE, 'shared/config.ts'],
  'shared/config.ts': CORE,
  functions: LAMBDA_CODE,
  console: ['shared/domain + ports', 'shared/vocabulary', 'events'],
  cdk: [...CORE, 'shared/adapters/aws'],
  local: [...LAMBDA_CODE, 'functions', 'console', 'cdk'],
  bench: [...LAMBDA_CODE, 'functions', 'console', 'cdk', 'local'],
  test: [...LAMBDA_CODE, 'functions', 'console', 'cdk', 'local', 'bench'],
};

const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'cdk.out', 'coverage', 'test-output', 'results']);
const SOURCE_FILE = /\.(ts|tsx|mts)$/;

export interface ImportEdge {
  from: string;
  to: string;
}

/** Repository-relative paths (with `/`) of every TypeScript source file outside generated and installed folders. */
export function sourceFiles(root: string = REPO_ROOT): string[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SOURCE_FILE.test(entry.name)) files.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return files.sort();
}

/** package.json "imports": `#domain/*` → `shared/domain/*`, `#config` → `shared/config.ts`. */
function aliasesOf(root: string): [prefix: string, target: string][] {
  const { imports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { imports?: Record<string, string> };
  return Object.entries(imports ?? {}).map(([key, target]) => [key.replace(/\*$/, ''), normalize(target.replace(/\*$/, '')).split(sep).join('/')]);
}

/** The repository path an import specifier names, or undefined for a package. */
function resolveSpecifier(importer: string, specifier: string, aliases: [string, string][]): string | undefined {
  if (specifier.startsWith('.')) return normalize(join(dirname(importer), specifier)).split(sep).join('/');
  const alias = aliases.find(([prefix]) => (prefix.endsWith('/') ? specifier.startsWith(prefix) : specifier === prefix));
  return alias ? alias[1] + specifier.slice(alias[0].length) : undefined;
}

/** Every import of one file on another file of the repository. */
export function importEdges(root: string = REPO_ROOT, files: string[] = sourceFiles(root)): ImportEdge[] {
  const aliases = aliasesOf(root);
  return files.flatMap((from) =>
    ts
      .preProcessFile(readFileSync(join(root, from), 'utf8'), true, true)
      .importedFiles.map((imported) => resolveSpecifier(from, imported.fileName, aliases))
      .filter((to): to is string => to !== undefined)
      .map((to) => ({ from, to })),
  );
}

/** The layer a file belongs to; undefined for files at the root (configuration such as vitest.config.ts) or in no layer. */
export function layerOf(path: string): Layer | undefined {
  return LAYER_NAMES.find((layer) => LAYERS[layer].some((folder: string) => path === folder || path.startsWith(`${folder}/`)));
}

const isRootFile = (path: string) => !path.includes('/');

/** Imports against MAY_IMPORT, and files in no known folder, each as a sentence naming both ends. */
export function violations(edges: ImportEdge[], files: string[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    if (!isRootFile(file) && !layerOf(file)) problems.push(`${file} is in no layer of local/import-graph.ts LAYERS: decide where it belongs`);
  }
  for (const { from, to } of edges) {
    const source = layerOf(from);
    const target = layerOf(to);
    if (!source || !target || source === target) {
      if (source === 'functions' && target === 'functions' && from.split('/')[1] !== to.split('/')[1]) {
        problems.push(`${from} imports ${to}: a function may not import another function's folder (move the shared part to shared/)`);
      }
      continue;
    }
    if (!MAY_IMPORT[source].includes(target)) problems.push(`${from} imports ${to}: ${source} may not import ${target}`);
  }
  return problems;
}

/** Layer-level edges, sorted, without counts (so the picture changes only when the layering does). */
export function layerEdges(edges: ImportEdge[]): [Layer, Layer][] {
  const seen = new Map<string, [Layer, Layer]>();
  for (const { from, to } of edges) {
    const source = layerOf(from);
    const target = layerOf(to);
    if (source && target && source !== target) seen.set(`${source} ${target}`, [source, target]);
  }
  return [...seen.values()].sort((a, b) => LAYER_NAMES.indexOf(a[0]) - LAYER_NAMES.indexOf(b[0]) || LAYER_NAMES.indexOf(a[1]) - LAYER_NAMES.indexOf(b[1]));
}

const nodeId = (layer: Layer) => layer.replace(/[^a-z]+/g, '_');

/** docs/import-graph.md: the Mermaid picture of the folder-level graph and the rule it is checked against. */
export function importGraphMarkdown(edges: ImportEdge[]): string {
  const used = new Set(layerEdges(edges).flat());
  const nodes = LAYER_NAMES.filter((layer) => used.has(layer)).map((layer) => `  ${nodeId(layer)}["${layer}"]`);
  const arrows = layerEdges(edges).map(([from, to]) => `  ${nodeId(from)} --> ${nodeId(to)}`);
  const rules = LAYER_NAMES.map((layer) => `| \`${layer}\` | ${MAY_IMPORT[layer].length ? MAY_IMPORT[layer].map((l) => `\`${l}\``).join(', ') : 'nothing else'} |`);
  return [
    '# Import graph',
    '',
    'Generated by `npm run import-graph` (local/import-graph.ts) from the imports of every TypeScript file;',
    'test/unit/import-direction.test.ts fails when an import breaks the rule below or this picture is stale.',
    'An arrow means "some file in this layer imports one in that layer". Arrows run one way: composed code',
    '(functions, cdk, console, local, bench, test) → shared (adapters → domain and ports) → events (boundary',
    'schemas) → shared/vocabulary (languages, statuses, topic ids, districts, staff groups). shared/domain and',
    'shared/ports are one layer, the hexagon\'s inside: ports speak domain types and domain use cases take ports.',
    '',
    '```mermaid',
    'flowchart TD',
    ...nodes,
    ...arrows,
    '```',
    '',
    '| Layer | May import (besides itself) |',
    '| --- | --- |',
    ...rules,
    '',
    'A function folder (functions/<name>/) may not import another function\'s folder.',
    '',
  ].join('\n');
}

export const IMPORT_GRAPH_DOC = 'docs/import-graph.md';

if (process.argv[1] && normalize(process.argv[1]) === normalize(new URL(import.meta.url).pathname)) {
  const files = sourceFiles();
  const edges = importEdges(REPO_ROOT, files);
  const problems = violations(edges, files);
  writeFileSync(join(REPO_ROOT, IMPORT_GRAPH_DOC), importGraphMarkdown(edges));
  console.log(`wrote ${IMPORT_GRAPH_DOC}: ${files.length} files, ${edges.length} imports, ${layerEdges(edges).length} layer arrows`);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  }
}
