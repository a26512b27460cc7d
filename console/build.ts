/**
 * Builds the review console into console/dist with esbuild (~50 ms): app.ts bundled to app.js,
 * styles.css, index.html and callback/index.html copied. The last is the page the Cognito hosted UI returns
 * to (`<origin>/callback`): the deployed bucket has no SPA rewrite, so it is a file of its own that loads
 * the same app.js. Topic and department names come from layers/knowledge/taxonomy.json at build time,
 * so the page loads nothing but its own three files. `npx tsx console/build.ts` builds by hand;
 * startConsoleServer() builds on start when dist is missing or older than any input.
 */
import { build } from 'esbuild';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const CONSOLE_DIR = import.meta.dirname;
const REPO_ROOT = resolve(CONSOLE_DIR, '..');
export const CONSOLE_DIST_DIR = join(CONSOLE_DIR, 'dist');
const KNOWLEDGE_DIR = join(REPO_ROOT, 'layers', 'knowledge');
const META_FILE = 'build-meta.json';
/** Static files copied as they are, by path relative to the console directory (and to dist). */
const STATIC_FILES = ['index.html', 'styles.css', join('callback', 'index.html')];
const OUTPUTS = [...STATIC_FILES, 'app.js'];

interface BuildMeta {
  builtAt: number;
  inputs: string[];
}

type LocalisedName = { en: string; 'zh-Hant': string };

/** Topic and department names in English and Traditional Chinese: the taxonomy's (the one definition of both). */
async function knowledgeNames(): Promise<{ topics: Record<string, LocalisedName>; departments: Record<string, LocalisedName>; inputs: string[] }> {
  const taxonomyFile = join(KNOWLEDGE_DIR, 'taxonomy.json');
  const taxonomy = JSON.parse(await readFile(taxonomyFile, 'utf8')) as { topics?: { id: string; names: LocalisedName }[]; departments?: { id: string; names: LocalisedName }[] };
  const named = (entries: { id: string; names: LocalisedName }[] = []) => Object.fromEntries(entries.map((entry) => [entry.id, { en: entry.names.en, 'zh-Hant': entry.names['zh-Hant'] }]));
  return { topics: named(taxonomy.topics), departments: named(taxonomy.departments), inputs: [taxonomyFile] };
}

function definesFor(names: { topics: Record<string, LocalisedName>; departments: Record<string, LocalisedName> }): Record<string, string> {
  return {
    __TOPIC_NAMES__: JSON.stringify(names.topics),
    __DEPARTMENT_NAMES__: JSON.stringify(names.departments),
  };
}

/** Writes a file atomically, so a server reading dist (or a concurrent build) never sees half a file. */
async function writeAtomically(path: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

/** Builds the console into dist. Returns the output directory. */
export async function buildConsole(options: { minify?: boolean } = {}): Promise<string> {
  const names = await knowledgeNames();
  const defines = definesFor(names);
  const result = await build({
    entryPoints: [join(CONSOLE_DIR, 'app.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    minify: options.minify ?? true,
    sourcemap: 'linked',
    outdir: CONSOLE_DIST_DIR,
    write: false,
    metafile: true,
    define: defines,
    logLevel: 'silent',
    legalComments: 'none',
    charset: 'utf8',
    // The detail view's parts are preact components written in TSX.
    jsx: 'automatic',
    jsxImportSource: 'preact',
  });
  await mkdir(CONSOLE_DIST_DIR, { recursive: true });
  for (const file of result.outputFiles) await writeAtomically(file.path, file.contents);
  for (const file of STATIC_FILES) {
    await mkdir(dirname(join(CONSOLE_DIST_DIR, file)), { recursive: true });
    await writeAtomically(join(CONSOLE_DIST_DIR, file), await readFile(join(CONSOLE_DIR, file)));
  }
  const inputs = [
    ...Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('<')).map((input) => resolve(process.cwd(), input)),
    ...STATIC_FILES.map((file) => join(CONSOLE_DIR, file)),
    join(CONSOLE_DIR, 'build.ts'),
    ...names.inputs,
  ];
  const meta: BuildMeta = { builtAt: Date.now(), inputs: inputs.map((input) => relative(REPO_ROOT, input)) };
  await writeAtomically(join(CONSOLE_DIST_DIR, META_FILE), JSON.stringify(meta, null, 2));
  return CONSOLE_DIST_DIR;
}

/** True when dist holds every output and no input changed since it was built. */
export async function consoleIsFresh(): Promise<boolean> {
  let meta: BuildMeta;
  try {
    meta = JSON.parse(await readFile(join(CONSOLE_DIST_DIR, META_FILE), 'utf8')) as BuildMeta;
    await Promise.all(OUTPUTS.map((file) => stat(join(CONSOLE_DIST_DIR, file))));
  } catch {
    return false;
  }
  try {
    const modified = await Promise.all(meta.inputs.map(async (input) => (await stat(join(REPO_ROOT, input))).mtimeMs));
    return modified.every((mtime) => mtime <= meta.builtAt);
  } catch {
    return false;
  }
}

/** Builds when dist is missing or stale; returns whether it built. */
export async function ensureConsoleBuilt(): Promise<boolean> {
  if (await consoleIsFresh()) return false;
  await buildConsole();
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const started = performance.now();
  const dist = await buildConsole();
  console.log(`console built into ${relative(process.cwd(), dist)} in ${Math.round(performance.now() - started)} ms`);
}
