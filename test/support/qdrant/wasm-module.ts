/**
 * The stand-in's WebAssembly kernels (sources in ./wasm/, AssemblyScript). Each is compiled with the
 * `assemblyscript` devDependency on first use and cached under node_modules/.cache by a hash of its
 * source, the compiler version and the flags, so editing a source is enough to rebuild it and nothing
 * generated is committed (the temporary folder stands in when node_modules is read-only). Compiling is synchronous (a child process, ~2 s once per machine) because the
 * stand-in's request path is synchronous; StandInServer.listen() compiles them all before the first request.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const CACHES = [join(HERE, '..', '..', '..', 'node_modules', '.cache', 'xnai-standin'), join(tmpdir(), 'xnai-standin')];
/** Release build: optimised for speed, assertions compiled out, the allocation-free stub runtime, SIMD (Node ≥ 16.4). */
const ASC_FLAGS = ['-O3', '--noAssert', '--runtime', 'stub', '--enable', 'simd'];

const compiled = new Map<string, WebAssembly.Module>();

/** The compiled module for ./wasm/<name>.ts. */
export function wasmModule(name: string): WebAssembly.Module {
  const hit = compiled.get(name);
  if (hit) return hit;
  const require = createRequire(import.meta.url);
  const ascPackage = require.resolve('assemblyscript/package.json');
  const version = (JSON.parse(readFileSync(ascPackage, 'utf8')) as { version: string }).version;
  const source = join(HERE, 'wasm', `${name}.ts`);
  const hash = createHash('sha256').update(readFileSync(source)).update(version).update(ASC_FLAGS.join(' ')).digest('hex').slice(0, 16);
  const fileName = `${name}-${hash}.wasm`;
  let file = CACHES.map((dir) => join(dir, fileName)).find((f) => existsSync(f));
  if (!file) {
    // node_modules/.cache, or the temporary folder when node_modules is read-only.
    const dir = CACHES.find((d) => {
      try {
        mkdirSync(d, { recursive: true });
        accessSync(d, constants.W_OK);
        return true;
      } catch {
        return false;
      }
    });
    if (!dir) throw new Error(`cannot compile the stand-in's ${name} kernel: neither ${CACHES.join(' nor ')} is writable`);
    file = join(dir, fileName);
    // A unique temporary name, then rename: parallel test workers may compile at the same time.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    execFileSync(process.execPath, [join(dirname(ascPackage), 'bin', 'asc.js'), source, ...ASC_FLAGS, '-o', tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(tmp, file);
  }
  const module = new WebAssembly.Module(readFileSync(file));
  compiled.set(name, module);
  return module;
}

/** Compile every kernel in ./wasm/ now (StandInServer.listen: no request waits for a compile). */
export function compileKernels(): void {
  for (const f of readdirSync(join(HERE, 'wasm'))) if (f.endsWith('.ts')) wasmModule(f.slice(0, -3));
}

/** A fresh instance of ./wasm/<name>.ts (its own memory). */
export function wasmInstance<T>(name: string): T {
  return new WebAssembly.Instance(wasmModule(name), { env: { abort: () => undefined } }).exports as unknown as T;
}
