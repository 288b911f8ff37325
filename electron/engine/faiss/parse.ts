/**
 * Pass 1: maps a FAISS file's structure without producing a single vector. Reads fourccs, headers, counts
 * and the small tables decoding needs (SQ ranges, PQ codebooks, IVF list sizes), seeks over bulk arrays, and
 * cross-checks every count against the file length and against the other counts (the checks FAISS 1.15's
 * reader makes, and a few more), so a truncated or corrupted file is refused up front with one line naming
 * the file, the structure and the byte offset. Layouts follow faiss/impl/index_write.cpp (1.7 → 1.15).
 */
import { closeSync, existsSync, fstatSync, openSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { METRICS, refusalFor, showFourcc, SQ_TYPES, SUPPORTED } from './catalogue';
import { StructCursor } from './cursor';
import { pqDecoder, rawFloatDecoder, sqCodeSize, sqDecoder, sqTrainedLength, type CodeDecoder } from './decoders';
import type { DataFile, IvfStore, LabelMap, ParsedIndex, RowStore } from './layout';

/** Deeper than any real index (IDMap → IVF → HNSW quantizer → flat is 4); FAISS itself stops at 50. */
const MAX_DEPTH = 16;
const MAX_DIMENSION = 1 << 20;
/** Longest on-disk data file name we accept (a path, so a few KiB at most). */
const MAX_PATH_BYTES = 16 * 1024;

interface Context {
  readonly main: DataFile;
  readonly dataFiles: DataFile[];
  readonly warnings: string[];
}

interface Header {
  d: number;
  ntotal: number;
  metricType: number;
}

function label(fourcc: string): string {
  return `${SUPPORTED[fourcc] ?? 'index'} (${fourcc})`;
}

function readHeader(cur: StructCursor, what: string): Header {
  const dAt = cur.pos;
  const d = cur.i32(`${what} header`);
  if (d < 1 || d > MAX_DIMENSION) cur.fail(`${what} header`, `dimension ${d} is outside 1..${MAX_DIMENSION}`, dAt);
  const nAt = cur.pos;
  const n = cur.i64(`${what} header`);
  if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) cur.fail(`${what} header`, `vector count ${n} is impossible`, nAt);
  cur.skip(16, `${what} header`); // two dummy int64 fields, always 1<<20
  cur.bool(`${what} header is_trained`);
  const mAt = cur.pos;
  const metricType = cur.i32(`${what} header`);
  if (METRICS[metricType] === undefined) cur.fail(`${what} header`, `unknown metric type ${metricType}`, mAt);
  if (metricType > 1) cur.f32(`${what} header metric_arg`);
  return { d, ntotal: Number(n), metricType };
}

export function parseFile(main: DataFile): ParsedIndex & { warnings: string[] } {
  const cur: StructCursor = new StructCursor(main.fd, main.path, main.size);
  if (main.size === 0) cur.fail('file', 'empty (0 bytes), not a FAISS index', 0);
  if (main.size < 4) cur.fail('file', `only ${main.size} bytes long, not a FAISS index`, 0);
  const head = cur.peekBytes(4);
  const code = head.toString('latin1');
  if (!SUPPORTED[code] && !/^I[A-Za-z0-9]{3}$/.test(code)) {
    cur.fail('file', `not a FAISS index file (it starts with ${showFourcc(head)}, not an index type code)`, 0);
  }
  const ctx: Context = { main, dataFiles: [], warnings: [] };
  try {
    const parsed = parseIndex(ctx, cur, 0, 'index');
    if (!parsed) cur.fail('index', 'the file holds a "null" index (no index at all)', 0);
    if (cur.pos < main.size) {
      ctx.warnings.push(`${main.size - cur.pos} bytes after the end of the index (byte ${cur.pos}) were ignored`);
    }
    return { ...parsed, dataFiles: ctx.dataFiles, warnings: [...ctx.warnings, ...parsed.warnings] };
  } catch (e) {
    for (const f of ctx.dataFiles) closeSync(f.fd);
    throw e;
  }
}

function parseIndex(ctx: Context, cur: StructCursor, depth: number, role: string): ParsedIndex | null {
  const at = cur.pos;
  if (depth > MAX_DEPTH) cur.fail(role, `indexes nested more than ${MAX_DEPTH} deep`, at);
  const fourcc = cur.fourcc(role);
  if (fourcc === 'null') return null;
  const refusal = refusalFor(fourcc);
  if (refusal) cur.fail(role, refusal, at);
  switch (fourcc) {
    case 'IxF2':
    case 'IxFI':
    case 'IxFl':
      return parseFlat(ctx, cur, fourcc);
    case 'IxMp':
    case 'IxM2':
      return parseIdMap(ctx, cur, fourcc, depth);
    case 'IHNf':
    case 'IHNs':
    case 'IHNp':
      return parseHnsw(ctx, cur, fourcc, depth);
    case 'IwFl':
    case 'IwSq':
    case 'IwSQ':
    case 'IwPQ':
      return parseIvf(ctx, cur, fourcc, depth);
    case 'IxSQ':
      return parseSq(ctx, cur, fourcc);
    case 'IxPq':
    case 'IxPQ':
    case 'IxPo':
      return parsePq(ctx, cur, fourcc);
    case 'IxRF':
      return parseRefine(ctx, cur, fourcc, depth);
    default:
      return cur.fail(role, `index type ${fourcc} is not handled`, at);
  }
}

function leaf(fourcc: string, h: Header, store: RowStore, end: number, details: string[] = []): ParsedIndex {
  const className = SUPPORTED[fourcc]!;
  return {
    fourcc,
    className,
    indexType: className,
    chain: [fourcc],
    d: h.d,
    ntotal: h.ntotal,
    metricType: h.metricType,
    store,
    labelMaps: [],
    dataFiles: [],
    warnings: [],
    details,
    end,
  };
}

function parseFlat(ctx: Context, cur: StructCursor, fourcc: string): ParsedIndex {
  const what = label(fourcc);
  const h = readHeader(cur, what);
  const vecAt = cur.pos;
  const arr = cur.vector(4, `${what} vectors`);
  if (arr.count !== h.ntotal * h.d) {
    cur.fail(`${what} vectors`, `holds ${arr.count} floats but the header says ${h.ntotal} vectors × ${h.d} dimensions`, vecAt);
  }
  const store: RowStore = { kind: 'rows', file: ctx.main, offset: arr.offset, count: h.ntotal, decoder: rawFloatDecoder(h.d) };
  return leaf(fourcc, h, store, cur.pos);
}

function parseIdMap(ctx: Context, cur: StructCursor, fourcc: string, depth: number): ParsedIndex {
  const what = label(fourcc);
  const h = readHeader(cur, what);
  const innerAt = cur.pos;
  const inner = parseIndex(ctx, cur, depth + 1, `${what} wrapped index`);
  if (!inner) cur.fail(`${what} wrapped index`, 'the wrapped index is missing ("null")', innerAt);
  checkSame(cur, what, h, inner, innerAt);
  const mapAt = cur.pos;
  const map = cur.vector(8, `${what} id_map`);
  if (map.count !== h.ntotal) cur.fail(`${what} id_map`, `holds ${map.count} ids but the index holds ${h.ntotal} vectors`, mapAt);
  const labelMap: LabelMap = { offset: map.offset, count: map.count, structure: `${what} id_map` };
  return {
    ...inner,
    fourcc,
    className: SUPPORTED[fourcc]!,
    indexType: `${SUPPORTED[fourcc]!}(${inner.indexType})`,
    chain: [fourcc, ...inner.chain],
    metricType: h.metricType,
    labelMaps: [...inner.labelMaps, labelMap],
    end: cur.pos,
  };
}

function checkSame(cur: StructCursor, what: string, h: Header, inner: ParsedIndex, at: number): void {
  if (inner.d !== h.d) cur.fail(`${what} wrapped index`, `has dimension ${inner.d} but the outer header says ${h.d}`, at);
  if (inner.ntotal !== h.ntotal) cur.fail(`${what} wrapped index`, `holds ${inner.ntotal} vectors but the outer header says ${h.ntotal}`, at);
}

function parseHnsw(ctx: Context, cur: StructCursor, fourcc: string, depth: number): ParsedIndex {
  const what = label(fourcc);
  const h = readHeader(cur, what);
  const s = `${what} HNSW graph`;
  cur.vector(8, `${s} assign_probas`);
  cur.vector(4, `${s} cum_nneighbor_per_level`);
  const levelsAt = cur.pos;
  const levels = cur.vector(4, `${s} levels`);
  if (levels.count !== h.ntotal) cur.fail(`${s} levels`, `holds ${levels.count} entries but the index holds ${h.ntotal} vectors`, levelsAt);
  const offAt = cur.pos;
  const offsets = cur.vector(8, `${s} offsets`);
  if (offsets.count !== h.ntotal + 1) cur.fail(`${s} offsets`, `holds ${offsets.count} entries, expected ${h.ntotal + 1}`, offAt);
  // The last offset is the neighbor table's size: read it to cross-check the next vector.
  const save = cur.pos;
  cur.pos = offsets.offset + 8 * h.ntotal;
  const lastAt = cur.pos;
  const last = cur.u64(`${s} offsets`);
  cur.pos = save;
  const nbAt = cur.pos;
  const neighbors = cur.vector(4, `${s} neighbors`);
  if (neighbors.count !== last) {
    cur.fail(`${s} neighbors`, `holds ${neighbors.count} entries but offsets end at ${last} (offset table at byte ${lastAt})`, nbAt);
  }
  cur.skip(20, `${s} trailer`); // entry_point, max_level, efConstruction, efSearch, upper_beam
  const storageAt = cur.pos;
  const storage = parseIndex(ctx, cur, depth + 1, `${what} storage`);
  if (!storage) {
    cur.fail(`${what} storage`, 'the vectors were not saved (written with IO_FLAG_SKIP_STORAGE): nothing to migrate', storageAt);
  }
  checkSame(cur, what, h, storage, storageAt);
  if (storage.store.kind !== 'rows' || storage.labelMaps.length) {
    cur.fail(`${what} storage`, `storage ${storage.indexType} is not a plain vector table`, storageAt);
  }
  return {
    ...storage,
    fourcc,
    className: SUPPORTED[fourcc]!,
    indexType: SUPPORTED[fourcc]!,
    chain: [fourcc, ...storage.chain],
    metricType: h.metricType,
    details: [`HNSW graph: ${neighbors.count} neighbor slots`, ...storage.details],
    end: cur.pos,
  };
}

/**
 * IndexRefine / IndexRefineFlat: a base index for search plus a refine index holding better vectors. The
 * refine index's row i is the vector of label i (the base index numbers its vectors 0..n-1), so vectors come
 * from it: exact when it is an IndexFlat.
 */
function parseRefine(ctx: Context, cur: StructCursor, fourcc: string, depth: number): ParsedIndex {
  const what = label(fourcc);
  const h = readHeader(cur, what);
  const baseAt = cur.pos;
  const base = parseIndex(ctx, cur, depth + 1, `${what} base index`);
  if (!base) cur.fail(`${what} base index`, 'the base index is missing ("null")', baseAt);
  checkSame(cur, what, h, base, baseAt);
  const refineAt = cur.pos;
  const refine = parseIndex(ctx, cur, depth + 1, `${what} refine index`);
  if (!refine) cur.fail(`${what} refine index`, 'the refine index is missing ("null")', refineAt);
  checkSame(cur, what, h, refine, refineAt);
  if (refine.store.kind !== 'rows' || refine.labelMaps.length) {
    cur.fail(`${what} refine index`, `refine index ${refine.indexType} is not a plain vector table`, refineAt);
  }
  cur.f32(`${what} k_factor`);
  const className = refine.fourcc.startsWith('IxF') ? 'IndexRefineFlat' : 'IndexRefine';
  return {
    ...refine,
    fourcc,
    className,
    indexType: `${className}(${base.indexType})`,
    chain: [fourcc, ...refine.chain],
    metricType: h.metricType,
    details: [`vectors from the refine index ${refine.indexType}; base index ${base.indexType} is not read`, ...refine.details],
    end: cur.pos,
  };
}

function readSq(cur: StructCursor, what: string, d: number): CodeDecoder {
  const s = `${what} scalar quantizer`;
  const qAt = cur.pos;
  const qtype = cur.i32(s);
  const name = SQ_TYPES[qtype];
  if (!name) {
    cur.fail(s, `quantizer type ${qtype} is not supported (this reader decodes 8bit, 4bit, 6bit, fp16, bf16 and 8bit_direct, uniform and non-uniform)`, qAt);
  }
  cur.i32(s); // rangestat
  cur.f32(s); // rangestat_arg
  const dAt = cur.pos;
  const sqd = cur.u64(s);
  if (sqd !== d) cur.fail(s, `has dimension ${sqd} but the index header says ${d}`, dAt);
  const csAt = cur.pos;
  const codeSize = cur.u64(s);
  const expected = sqCodeSize(qtype, d)!;
  if (codeSize !== expected) cur.fail(s, `code size is ${codeSize}, expected ${expected} for ${name} with d=${d}`, csAt);
  const tAt = cur.pos;
  const tref = cur.vector(4, `${s} trained ranges`);
  const need = sqTrainedLength(qtype, d);
  if (need !== null && tref.count !== need) cur.fail(`${s} trained ranges`, `holds ${tref.count} floats, expected ${need} for ${name}`, tAt);
  const trained = need === null ? new Float32Array(0) : cur.floats(tref, `${s} trained ranges`);
  return sqDecoder({ qtype, d, codeSize, trained }, name);
}

function readPq(cur: StructCursor, what: string, d: number): CodeDecoder {
  const s = `${what} product quantizer`;
  const dAt = cur.pos;
  const pqd = cur.u64(s);
  if (pqd !== d) cur.fail(s, `has dimension ${pqd} but the index header says ${d}`, dAt);
  const mAt = cur.pos;
  const M = cur.u64(s);
  if (M < 1 || M > d || d % M !== 0) cur.fail(s, `M=${M} sub-quantizers does not divide dimension ${d}`, mAt);
  const bAt = cur.pos;
  const nbits = cur.u64(s);
  if (nbits < 1 || nbits > 24) cur.fail(s, `nbits=${nbits} is outside 1..24`, bAt);
  const cAt = cur.pos;
  const cref = cur.vector(4, `${s} centroids`);
  if (cref.count !== d * 2 ** nbits) cur.fail(`${s} centroids`, `holds ${cref.count} floats, expected d·2^nbits = ${d * 2 ** nbits}`, cAt);
  return pqDecoder({ d, M, nbits, centroids: cur.floats(cref, `${s} centroids`) });
}

function parseSq(ctx: Context, cur: StructCursor, fourcc: string): ParsedIndex {
  const what = label(fourcc);
  const h = readHeader(cur, what);
  const decoder = readSq(cur, what, h.d);
  const at = cur.pos;
  const codes = cur.vector(1, `${what} codes`);
  if (codes.count !== h.ntotal * decoder.codeSize) {
    cur.fail(`${what} codes`, `holds ${codes.count} bytes, expected ${h.ntotal} vectors × ${decoder.codeSize} bytes`, at);
  }
  const store: RowStore = { kind: 'rows', file: ctx.main, offset: codes.offset, count: h.ntotal, decoder };
  return leaf(fourcc, h, store, cur.pos, [decoder.describe]);
}

function parsePq(ctx: Context, cur: StructCursor, fourcc: string): ParsedIndex {
  const what = label(fourcc);
  const h = readHeader(cur, what);
  const decoder = readPq(cur, what, h.d);
  const at = cur.pos;
  const codes = cur.vector(1, `${what} codes`);
  if (codes.count !== h.ntotal * decoder.codeSize) {
    cur.fail(`${what} codes`, `holds ${codes.count} bytes, expected ${h.ntotal} vectors × ${decoder.codeSize} bytes`, at);
  }
  if (fourcc !== 'IxPQ') {
    cur.i32(`${what} search_type`);
    cur.bool(`${what} encode_signs`);
    cur.i32(`${what} polysemous_ht`);
  }
  // FAISS forces L2 when reading the legacy codes (IxPQ, IxPo).
  const metricType = fourcc === 'IxPq' ? h.metricType : 1;
  const store: RowStore = { kind: 'rows', file: ctx.main, offset: codes.offset, count: h.ntotal, decoder };
  return leaf(fourcc, { ...h, metricType }, store, cur.pos, [decoder.describe]);
}

function parseIvf(ctx: Context, cur: StructCursor, fourcc: string, depth: number): ParsedIndex {
  const what = label(fourcc);
  const h = readHeader(cur, what);
  const nlAt = cur.pos;
  const nlist = cur.u64(`${what} nlist`);
  if (nlist < 1) cur.fail(`${what} nlist`, 'an IVF index needs at least one list', nlAt);
  cur.u64(`${what} nprobe`);
  const qAt = cur.pos;
  const quantizer = parseIndex(ctx, cur, depth + 1, `${what} coarse quantizer`);
  if (!quantizer) cur.fail(`${what} coarse quantizer`, 'the coarse quantizer is missing ("null")', qAt);
  if (quantizer.d !== h.d) cur.fail(`${what} coarse quantizer`, `has dimension ${quantizer.d} but the index has ${h.d}`, qAt);
  if (quantizer.ntotal !== nlist) cur.fail(`${what} coarse quantizer`, `holds ${quantizer.ntotal} centroids but nlist is ${nlist}`, qAt);
  if (quantizer.store.kind !== 'rows' || quantizer.labelMaps.length) {
    cur.fail(`${what} coarse quantizer`, `quantizer ${quantizer.indexType} is not a plain centroid table`, qAt);
  }
  const dmAt = cur.pos;
  const dmType = cur.u8(`${what} direct map`);
  if (dmType > 2) cur.fail(`${what} direct map`, `type ${dmType} is not 0, 1 or 2`, dmAt);
  cur.vector(8, `${what} direct map array`);
  if (dmType === 2) cur.vector(16, `${what} direct map hashtable`);

  let decoder: CodeDecoder;
  let byResidual = false;
  if (fourcc === 'IwFl') {
    decoder = rawFloatDecoder(h.d);
  } else if (fourcc === 'IwSq' || fourcc === 'IwSQ') {
    decoder = readSq(cur, what, h.d);
    const csAt = cur.pos;
    const cs = cur.u64(`${what} code_size`);
    if (cs !== decoder.codeSize) cur.fail(`${what} code_size`, `is ${cs} but the scalar quantizer's is ${decoder.codeSize}`, csAt);
    byResidual = fourcc === 'IwSQ' ? true : cur.bool(`${what} by_residual`);
  } else {
    byResidual = cur.bool(`${what} by_residual`);
    const csAt = cur.pos;
    const cs = cur.u64(`${what} code_size`);
    decoder = readPq(cur, what, h.d);
    if (cs !== decoder.codeSize) cur.fail(`${what} code_size`, `is ${cs} but the product quantizer's is ${decoder.codeSize}`, csAt);
  }
  const lists = parseInvlists(ctx, cur, what, nlist, decoder.codeSize, h.ntotal);
  const store: IvfStore = {
    kind: 'ivf',
    decoder,
    count: h.ntotal,
    ...lists,
    residualOf: byResidual ? (quantizer.store as RowStore) : null,
  };
  const details = [`${nlist} lists (${lists.listNo.length} non-empty, ${lists.listFourcc})`, ...(fourcc === 'IwFl' ? [] : [decoder.describe])];
  if (byResidual) details.push('codes are residuals from the list centroids');
  return {
    fourcc,
    className: SUPPORTED[fourcc]!,
    indexType: SUPPORTED[fourcc]!,
    chain: [fourcc, lists.listFourcc],
    d: h.d,
    ntotal: h.ntotal,
    metricType: h.metricType,
    store,
    labelMaps: [],
    dataFiles: lists.file === ctx.main ? [] : [lists.file],
    warnings: [],
    details,
    end: cur.pos,
  };
}

interface Lists {
  file: DataFile;
  listFourcc: string;
  listNo: Float64Array;
  size: Float64Array;
  codesOffset: Float64Array;
  idsOffset: Float64Array;
  starts: Float64Array;
}

function parseInvlists(ctx: Context, cur: StructCursor, what: string, nlist: number, codeSize: number, ntotal: number): Lists {
  const at = cur.pos;
  const kind = cur.fourcc(`${what} inverted lists`);
  if (kind === 'il00') cur.fail(`${what} inverted lists`, 'the inverted lists were not saved ("il00"): the file holds no vectors', at);
  if (kind !== 'ilar' && kind !== 'ilod') {
    cur.fail(`${what} inverted lists`, `list storage ${showFourcc(kind)} is not supported (this reader reads "ilar" and "ilod")`, at);
  }
  const s = `${what} inverted lists (${kind})`;
  const nAt = cur.pos;
  const n = cur.u64(s);
  if (n !== nlist) cur.fail(s, `holds ${n} lists but the index has nlist=${nlist}`, nAt);
  const csAt = cur.pos;
  const cs = cur.u64(s);
  if (cs !== codeSize) cur.fail(s, `code size is ${cs}, expected ${codeSize}`, csAt);
  const out = { listNo: [] as number[], size: [] as number[], codesOffset: [] as number[], idsOffset: [] as number[] };
  let total = 0;
  let file = ctx.main;
  if (kind === 'ilar') {
    const tAt = cur.pos;
    const type = cur.fourcc(s);
    if (type !== 'full' && type !== 'sprs') cur.fail(s, `list table type ${showFourcc(type)} is neither "full" nor "sprs"`, tAt);
    const szAt = cur.pos;
    const sizes = cur.vector(8, `${s} sizes`);
    if (type === 'full' && sizes.count !== nlist) cur.fail(`${s} sizes`, `holds ${sizes.count} sizes, expected one per list (${nlist})`, szAt);
    if (type === 'sprs' && (sizes.count % 2 !== 0 || sizes.count / 2 > nlist)) {
      cur.fail(`${s} sizes`, `holds ${sizes.count} entries, expected (list, size) pairs for at most ${nlist} lists`, szAt);
    }
    const dataStart = cur.pos;
    let data = dataStart;
    const reader = new StructCursor(cur.fd, cur.file, cur.size, sizes.offset);
    let prevList = -1;
    const pairs = type === 'full' ? sizes.count : sizes.count / 2;
    for (let i = 0; i < pairs; i++) {
      const entryAt = reader.pos;
      const listNo = type === 'full' ? i : reader.u64(`${s} sizes`);
      if (type === 'sprs' && (listNo >= nlist || listNo <= prevList)) {
        cur.fail(`${s} sizes`, `list number ${listNo} is out of order or not below nlist=${nlist}`, entryAt);
      }
      prevList = listNo;
      const sizeAt = reader.pos;
      const size = reader.u64(`${s} sizes`);
      if (size === 0) continue;
      if (size > Math.floor((cur.size - data) / (codeSize + 8))) {
        cur.fail(`${s} sizes`, `list ${listNo} claims ${size} vectors, more than the ${cur.size - data} bytes left can hold`, sizeAt);
      }
      out.listNo.push(listNo);
      out.size.push(size);
      out.codesOffset.push(data);
      out.idsOffset.push(data + size * codeSize);
      data += size * (codeSize + 8);
      total += size;
    }
    cur.pos = data;
  } else {
    const lAt = cur.pos;
    const lref = cur.vector(24, `${s} list table`);
    if (lref.count !== nlist) cur.fail(`${s} list table`, `holds ${lref.count} entries, expected ${nlist}`, lAt);
    cur.vector(16, `${s} free slots`);
    const fAt = cur.pos;
    const fref = cur.vector(1, `${s} data file name`);
    if (fref.count > MAX_PATH_BYTES) cur.fail(`${s} data file name`, `is ${fref.count} bytes long, not a file name`, fAt);
    const recorded = cur.bytes(fref, `${s} data file name`).toString('utf8');
    cur.u64(`${s} totsize`);
    const end = cur.pos;
    file = openDataFile(ctx, cur, s, recorded, fAt);
    const reader = new StructCursor(cur.fd, cur.file, cur.size, lref.offset);
    for (let i = 0; i < nlist; i++) {
      const entryAt = reader.pos;
      const size = reader.u64(`${s} list table`);
      const capacity = reader.u64(`${s} list table`);
      const offset = reader.u64(`${s} list table`);
      if (size === 0) continue;
      if (size > capacity) cur.fail(`${s} list table`, `list ${i} holds ${size} vectors but has room for ${capacity}`, entryAt);
      if (capacity > Math.floor(file.size / (codeSize + 8)) || offset > file.size - capacity * (codeSize + 8)) {
        cur.fail(
          `${s} list table`,
          `list ${i} (${capacity} slots at byte ${offset}) lies beyond the end of ${file.path} (${file.size} bytes)`,
          entryAt,
        );
      }
      out.listNo.push(i);
      out.size.push(size);
      out.codesOffset.push(offset);
      out.idsOffset.push(offset + capacity * codeSize);
      total += size;
    }
    cur.pos = end;
  }
  if (total !== ntotal) cur.fail(s, `lists hold ${total} vectors in all but the index header says ${ntotal}`, at);
  const k = out.listNo.length;
  const starts = new Float64Array(k + 1);
  for (let i = 0; i < k; i++) starts[i + 1] = starts[i]! + out.size[i]!;
  return {
    file,
    listFourcc: kind,
    listNo: Float64Array.from(out.listNo),
    size: Float64Array.from(out.size),
    codesOffset: Float64Array.from(out.codesOffset),
    idsOffset: Float64Array.from(out.idsOffset),
    starts,
  };
}

/**
 * On-disk lists live in a separate file. Look where FAISS recorded it, then (like IO_FLAG_ONDISK_SAME_DIR)
 * for its base name beside the index, which is what survives copying an index folder to another machine.
 */
function openDataFile(ctx: Context, cur: StructCursor, s: string, recorded: string, at: number): DataFile {
  const indexDir = dirname(resolve(ctx.main.path));
  const candidates = [isAbsolute(recorded) ? recorded : resolve(indexDir, recorded), join(indexDir, basename(recorded))];
  for (const p of candidates) {
    if (!recorded || !existsSync(p) || !statSync(p).isFile()) continue;
    const existing = ctx.dataFiles.find((f) => f.path === p);
    if (existing) return existing;
    const fd = openSync(p, 'r');
    const df: DataFile = { fd, path: p, size: fstatSync(fd).size };
    ctx.dataFiles.push(df);
    return df;
  }
  // The name comes from the file: escape control characters so the message stays one printable line.
  const shown = (x: string) =>
    [...x].map((c) => (c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) < 0xa0) ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('');
  return cur.fail(
    `${s} data file name`,
    `the lists' data file "${shown(recorded)}" was not found (also looked for ${shown(basename(recorded))} beside the index); copy it next to the index`,
    at,
  );
}
