/**
 * `npm run bench [section ...]`: runs each benchmark section in turn and prints its table. Sections are
 * modules in this folder exporting `run(): Promise<BenchTable[]>`; name some to run only those.
 * Numbers depend on the machine: the reference for every table is 2 cores, Node 20 (DEVELOPERS.md).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { formatTable, type BenchTable } from './table';

const SECTIONS = ['faiss-reader', 'docstore-join', 'engine', 'real', 'ui', 'verify', 'state', 'scale'] as const;

async function main() {
  const here = dirname(fileURLToPath(import.meta.url));
  const wanted = process.argv.slice(2);
  const chosen = wanted.length ? SECTIONS.filter((s) => wanted.includes(s)) : SECTIONS;
  for (const name of chosen) {
    const file = join(here, `${name}.ts`);
    if (!existsSync(file)) {
      console.log(`## ${name}\n(skipped: bench/${name}.ts does not exist yet)\n`);
      continue;
    }
    const mod = (await import(file)) as { run: () => Promise<BenchTable[]> };
    const started = Date.now();
    for (const t of await mod.run()) console.log(`${formatTable(t)}\n`);
    console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
