/**
 * Which Chromium the browser tests drive, and the fonts it renders Chinese with. Nothing is downloaded:
 * Debian's Chromium when the machine has it, otherwise the headless Chromium shipped (brotli-compressed)
 * inside the @sparticuz/chromium devDependency, unpacked once into node_modules/.cache. The CJK fonts come
 * from the @expo-google-fonts Noto Sans HK/SC devDependencies, registered through a generated fontconfig
 * file, so screenshots show Chinese on a machine without fonts-noto-cjk.
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { REPO_ROOT } from '../../local/paths.ts';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/** npm ci empties node_modules, so a new @sparticuz/chromium version never meets a stale unpacked binary. */
const UNPACK_ROOT = join(REPO_ROOT, 'node_modules', '.cache', '1823-assist-chromium');
const FONT_CONFIG_DIR = join(REPO_ROOT, 'test-output', 'fontconfig');

export interface ChromiumInstall {
  executablePath: string;
  source: 'system' | 'npm';
  /** Environment for the browser process: FONTCONFIG_FILE pointing at the generated configuration. */
  env: Record<string, string>;
}

const require = createRequire(import.meta.url);

/** The installed package's folder: the one above its entry point holding package.json (not all export it). */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/** The system Chromium when installed, otherwise the npm one (unpacked on first use), with the CJK fonts. */
export async function resolveChromium(): Promise<ChromiumInstall> {
  const env = { FONTCONFIG_FILE: await writeFontConfig(FONT_CONFIG_DIR) };
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, source: 'system', env };
  return { executablePath: await unpackNpmChromium(UNPACK_ROOT), source: 'npm', env };
}

/**
 * Decompresses @sparticuz/chromium's binary into `root` unless an earlier run already did (~1.5 s, 200 MB).
 * Written under a temporary name and renamed, so an interrupted unpack is never mistaken for a browser.
 * The package's own executablePath() is not used: it unpacks into the system temp folder and leaves it.
 */
export async function unpackNpmChromium(root: string): Promise<string> {
  if (platform() !== 'linux' || arch() !== 'x64') {
    throw new Error(`No Chromium at ${SYSTEM_CHROMIUM}, and @sparticuz/chromium ships only a Linux x64 build (this is ${platform()} ${arch()}): install Chromium to run the browser tests.`);
  }
  const pkg = packageDir('@sparticuz/chromium');
  const version = (require(join(pkg, 'package.json')) as { version: string }).version;
  const target = join(root, version, 'chromium');
  if (existsSync(target)) return target;
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  try {
    await pipeline(createReadStream(join(pkg, 'bin', 'chromium.br')), createBrotliDecompress(), createWriteStream(partial, { mode: 0o755 }));
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
  return target;
}

/** The regular and bold weights are enough: Chromium synthesises the rest. */
const CJK_FONT_DIRS = [
  ['@expo-google-fonts/noto-sans-hk', '400Regular'],
  ['@expo-google-fonts/noto-sans-hk', '700Bold'],
  // Noto Sans HK has Hong Kong's traditional forms but not the simplified ones the zh-CN enquiries use.
  ['@expo-google-fonts/noto-sans-sc', '400Regular'],
  ['@expo-google-fonts/noto-sans-sc', '700Bold'],
] as const;

/**
 * Writes a fontconfig file that keeps the system's configuration (its fonts and aliases) and adds the npm
 * CJK fonts. Its own cache folder comes first, so fontconfig writes its caches there and nowhere else (the
 * npm Chromium links a newer fontconfig than Debian's, whose caches it cannot reuse).
 */
export async function writeFontConfig(dir: string): Promise<string> {
  const cacheDir = join(dir, 'cache');
  await mkdir(cacheDir, { recursive: true });
  const fontDirs = CJK_FONT_DIRS.map(([name, weight]) => `  <dir>${xmlText(join(packageDir(name), weight))}</dir>`);
  const file = join(dir, 'fonts.conf');
  await writeFile(
    file,
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
      '<fontconfig>',
      `  <cachedir>${xmlText(cacheDir)}</cachedir>`,
      '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
      ...fontDirs,
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  return file;
}

function xmlText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
