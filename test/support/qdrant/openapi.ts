/**
 * Qdrant's official OpenAPI document as a validator for every request and response the stand-in handles.
 * The document is OpenAPI 3.0 (`nullable`), which Ajv (JSON Schema) does not read as such, so it is
 * converted once: `nullable: true` becomes a `null` type alternative. `#/components/schemas` references are
 * resolved by registering the converted document under one $id. Number formats Qdrant uses (uint64, float,
 * ...) are registered with their ranges; `uuid` accepts every form Qdrant's uuid parser accepts.
 *
 * The folder is `../shared/qdrant` beside the repository (override: XNAI_QDRANT_OPENAPI_DIR). Without it,
 * validation is skipped with a one-time notice, so the stand-in still runs on a clone without the folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { canonicalUuid } from './ids';
import { expected, pointIdValueText, unexpected } from './serde-text';

export const OPENAPI_VERSIONS = ['1.19.0', '1.18.3'] as const;
export type OpenApiVersion = (typeof OPENAPI_VERSIONS)[number];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** ajv-formats is CommonJS; under ESM interop its function is the default export (or its .default). */
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const DOC_ID = 'qdrant-openapi.json';

export function openApiDir(): string {
  const fromEnv = process.env.XNAI_QDRANT_OPENAPI_DIR;
  if (fromEnv) return resolve(fromEnv);
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  return resolve(repoRoot, '..', 'shared', 'qdrant');
}

/** OpenAPI 3.0 → JSON Schema: `nullable` becomes an explicit null alternative. */
function convert(node: Json): Json {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'example' || k === 'examples' ? v : convert(v);
  if (out.nullable === true) {
    delete out.nullable;
    const rest = Object.keys(out).filter((k) => !['description', 'default', 'deprecated', 'title', 'example'].includes(k));
    if (rest.length === 0) return { ...out, type: 'null' };
    if (typeof out.type === 'string' && !out.anyOf && !out.oneOf && !out.allOf && !out.$ref) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    const meta: JsonObject = {};
    const inner: JsonObject = {};
    for (const [k, v] of Object.entries(out)) (['description', 'default', 'deprecated', 'title'].includes(k) ? meta : inner)[k] = v;
    return { ...meta, anyOf: [inner, { type: 'null' }] };
  }
  return out;
}

const U64 = 18446744073709551616;

function addQdrantFormats(ajv: Ajv): void {
  const int = (min: number, max: number) => ({ type: 'number' as const, validate: (x: number) => Number.isInteger(x) && x >= min && x <= max });
  ajv.addFormat('uint64', int(0, U64));
  ajv.addFormat('uint', int(0, U64));
  ajv.addFormat('int64', int(-9223372036854775808, 9223372036854775808));
  ajv.addFormat('uint32', int(0, 4294967295));
  ajv.addFormat('uint8', int(0, 255));
  ajv.addFormat('float', { type: 'number', validate: (x: number) => Number.isFinite(x) });
  ajv.addFormat('double', { type: 'number', validate: (x: number) => Number.isFinite(x) });
  ajv.addFormat('uuid', { type: 'string', validate: (s: string) => canonicalUuid(s) !== undefined });
  ajv.addFormat('partial-date-time', true);
  ajv.addFormat('binary', true);
}

export interface OperationSchemas {
  body: ValidateFunction | undefined;
  /** The same body schema without range limits: tells serde's 400s from the validator's 422s (compiled on first use: only failing bodies need it). */
  bodyStructure: () => ValidateFunction | undefined;
  bodyRequired: boolean;
  query: { name: string; required: boolean; validate: ValidateFunction; type: string | undefined }[];
  /** 200 JSON schema (undefined for text/plain answers). */
  ok: ValidateFunction | undefined;
  error: ValidateFunction | undefined;
}

export interface QdrantOpenApi {
  version: OpenApiVersion;
  file: string;
  operations: Map<string, { method: string; path: string }>;
  schemasFor(operationId: string): OperationSchemas | undefined;
  /** Validate a value against a named component schema (tests). */
  validateComponent(name: string, value: unknown): ErrorObject[] | null;
  /** Which component a schema object (an error's parentSchema) belongs to. */
  componentOf(schema: unknown): string | undefined;
}

const cache = new Map<string, QdrantOpenApi | null>();
let noticePrinted = false;

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

const RANGE_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties'];

/**
 * Fields whose lower bound serde itself enforces (Rust `NonZero…` types), so breaking it is a 400 from the
 * deserialiser, not the validator's 422: `vectors.size: 0` fails the whole untagged `VectorsConfig`.
 */
const SERDE_RANGES = new Set(['components/schemas/VectorParams/properties/size']);

/** The document with range limits removed (what serde alone would accept). */
function stripRanges(node: Json, path = ''): Json {
  if (Array.isArray(node)) return node.map((v, i) => stripRanges(v, `${path}/${i}`));
  if (node === null || typeof node !== 'object') return node;
  const keep = SERDE_RANGES.has(path.slice(1));
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) if (keep || !RANGE_KEYWORDS.includes(k)) out[k] = k === 'example' ? v : stripRanges(v, `${path}/${k}`);
  return out;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true, verbose: true });
  addFormats(ajv);
  addQdrantFormats(ajv);
  return ajv;
}

/** The document for a version, or null (with a one-time notice) when the folder is absent. */
export function loadOpenApi(version: OpenApiVersion): QdrantOpenApi | null {
  const dir = openApiDir();
  const file = join(dir, `openapi-v${version}.json`);
  const key = file;
  if (cache.has(key)) return cache.get(key)!;
  if (!existsSync(file)) {
    if (!noticePrinted) {
      noticePrinted = true;
      console.warn(`[qdrant stand-in] ${file} not found: requests and responses are NOT validated against Qdrant's OpenAPI document (set XNAI_QDRANT_OPENAPI_DIR to the folder holding openapi-v${version}.json)`);
    }
    cache.set(key, null);
    return null;
  }
  const raw = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
  const doc = convert(raw) as JsonObject;
  doc.$id = DOC_ID;
  const loose = stripRanges(doc) as JsonObject;
  const ajv = newAjv();
  ajv.addSchema(doc as object);
  const looseAjv = newAjv();
  looseAjv.addSchema(loose as object);

  const components = new Map<unknown, string>();
  for (const d of [doc, loose]) {
    const schemas = (d.components as JsonObject).schemas as JsonObject;
    for (const [name, schema] of Object.entries(schemas)) components.set(schema, name);
  }

  const operations = new Map<string, { method: string; path: string }>();
  const paths = doc.paths as Record<string, Record<string, JsonObject>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (typeof op.operationId === 'string') operations.set(op.operationId, { method: method.toUpperCase(), path });
    }
  }
  const compiled = new Map<string, OperationSchemas>();
  const ref = (pointer: string, a: Ajv = ajv) => a.compile({ $ref: `${DOC_ID}#${pointer}` });

  const api: QdrantOpenApi = {
    version,
    file,
    operations,
    schemasFor(operationId) {
      const hit = compiled.get(operationId);
      if (hit) return hit;
      const where = operations.get(operationId);
      if (!where) return undefined;
      const method = where.method.toLowerCase();
      const op = paths[where.path]![method]!;
      const base = `/paths/${escapePointer(where.path)}/${method}`;
      const reqBody = op.requestBody as JsonObject | undefined;
      const reqJson = (reqBody?.content as JsonObject | undefined)?.['application/json'] as JsonObject | undefined;
      const params = (op.parameters as JsonObject[] | undefined) ?? [];
      const responses = op.responses as Record<string, JsonObject>;
      const jsonOf = (code: string) => ((responses[code]?.content as JsonObject | undefined)?.['application/json'] as JsonObject | undefined)?.schema;
      const bodyPointer = `${base}/requestBody/content/application~1json/schema`;
      let structureFn: ValidateFunction | undefined;
      const s: OperationSchemas = {
        body: reqJson?.schema ? ref(bodyPointer) : undefined,
        bodyStructure: () => {
          if (!reqJson?.schema) return undefined;
          structureFn ??= ref(bodyPointer, looseAjv);
          return structureFn;
        },
        bodyRequired: reqBody?.required === true,
        query: params
          .map((p, i) => ({ p, i }))
          .filter(({ p }) => p.in === 'query')
          .map(({ p, i }) => ({
            name: p.name as string,
            required: p.required === true,
            validate: ref(`${base}/parameters/${i}/schema`),
            type: ((p.schema as JsonObject).type as string | undefined) ?? undefined,
          })),
        ok: jsonOf('200') ? ref(`${base}/responses/200/content/application~1json/schema`) : undefined,
        error: jsonOf('4XX') ? ref(`${base}/responses/4XX/content/application~1json/schema`) : jsonOf('default') ? ref(`${base}/responses/default/content/application~1json/schema`) : undefined,
      };
      compiled.set(operationId, s);
      return s;
    },
    validateComponent(name, value) {
      const v = ajv.getSchema(`${DOC_ID}#/components/schemas/${name}`);
      if (!v) throw new Error(`no component schema ${name}`);
      return v(value) ? null : (v.errors ?? []);
    },
    componentOf(schema) {
      return components.get(schema);
    },
  };
  cache.set(key, api);
  return api;
}

/** `points[0].id` style path (Qdrant's validator names fields this way). */
export function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

export interface Violation {
  /** 400 for what serde would refuse while deserialising, 422 for what Qdrant's validator refuses. */
  status: 400 | 422;
  message: string;
}

function valueAt(data: unknown, instancePath: string): unknown {
  return instancePath
    .split('/')
    .slice(1)
    .reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), data);
}

const at = (e: ErrorObject) => (e.instancePath ? ` at ${fieldPath(e.instancePath)}` : '');

function serdeText(e: ErrorObject, v: unknown): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `missing field \`${String(p.missingProperty)}\``;
    case 'additionalProperties': {
      const props = Object.keys(((e.parentSchema as Record<string, unknown> | undefined)?.properties as object | undefined) ?? {});
      return `unknown field \`${String(p.additionalProperty)}\`${props.length ? `, expected one of ${props.map((x) => `\`${x}\``).join(', ')}` : ''}`;
    }
    case 'type':
      return `invalid type: ${unexpected(v)}, expected ${expected(e.parentSchema)}`;
    case 'enum':
      return `unknown variant \`${String(v)}\`, expected one of ${((p.allowedValues as unknown[]) ?? []).map((x) => `\`${String(x)}\``).join(', ')}`;
    case 'format': {
      // An integer type given a fraction is a wrong type to serde; a negative or too large one a wrong value.
      const integral = /^u?int/.test(String(p.format));
      if (integral && typeof v === 'number' && !Number.isInteger(v)) return `invalid type: ${unexpected(v)}, expected ${expected(e.parentSchema)}`;
      return `invalid value: ${unexpected(v)}, expected ${expected(e.parentSchema)}`;
    }
    default:
      return `${e.message ?? 'invalid value'}`;
  }
}

/**
 * Schemas that are a choice in the OpenAPI document but not an untagged enum to serde: Qdrant reads
 * `PointInsertOperations` by its key (`batch`, else `points`), so the error comes from inside the branch.
 */
const NOT_UNTAGGED = new Set(['PointInsertOperations']);

/**
 * Where Qdrant's validator starts its field paths: the request structs it checks wrap the body
 * (`ScrollRequest { scroll_request }`, `QueryRequest { internal }`), so `limit` is `scroll_request.limit`.
 */
export function validatorPath(operationId: string | undefined, path: string): string {
  switch (operationId) {
    case 'scroll_points':
      return `scroll_request.${path}`;
    case 'search_points':
      return `search_request.${path}`;
    case 'query_points':
      return `internal.${path}`;
    case 'facet':
      return `facet_request.${path}`;
    case 'query_batch_points':
      return path.replace(/^searches\[(\d+)\]\./, 'searches[$1].internal.');
    default:
      return path;
  }
}

/** An anyOf that is a real choice (an untagged enum), not the `X | null` wrapper `nullable` became. */
function isRealEnum(e: ErrorObject): boolean {
  const branches = (e.schema as unknown[] | undefined) ?? [];
  return branches.filter((b) => !(b !== null && typeof b === 'object' && (b as Record<string, unknown>).type === 'null')).length > 1;
}

/**
 * Ajv's errors → Qdrant's words. `structural` are the errors of the range-free schema (what serde refuses,
 * 400 "Format error in JSON body: ..."), or null when only range limits failed (Qdrant's `validator`, 422
 * "Validation error in JSON body: [field: ...]"). The offending value's JSON path is always named.
 */
export function describeViolation(api: QdrantOpenApi, full: ErrorObject[], structural: ErrorObject[] | null, data: unknown, operationId?: string, raw: unknown = data): Violation {
  if (!structural) {
    const range = [...full].filter((e) => RANGE_KEYWORDS.includes(e.keyword)).sort((a, b) => b.instancePath.length - a.instancePath.length)[0] ?? full[0]!;
    const v = valueAt(data, range.instancePath);
    const p = range.params as { limit?: number };
    const bound = range.keyword.startsWith('min') || range.keyword === 'exclusiveMinimum' ? `must be ${p.limit} or larger` : `must be ${p.limit} or smaller`;
    const what = /Items|Length|Properties/.test(range.keyword) ? `length ${Array.isArray(v) || typeof v === 'string' ? v.length : '?'} invalid, ${bound}` : `value ${String(v)} invalid, ${bound}`;
    return { status: 422, message: `${validatorPath(operationId, fieldPath(range.instancePath)) || '(root)'}: ${what}` };
  }
  const errors = structural;
  // A bad point id gets Qdrant's dedicated message.
  const idErr = errors.find((e) => e.keyword === 'anyOf' && api.componentOf(e.parentSchema) === 'ExtendedPointId');
  if (idErr) {
    return { status: 400, message: `value ${pointIdValueText(valueAt(raw, idErr.instancePath))} is not a valid point ID, valid values are either an unsigned integer or a UUID${at(idErr)}` };
  }
  const deepest = [...errors].filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf').sort((a, b) => b.instancePath.length - a.instancePath.length)[0] ?? errors[0]!;
  const detail = `${serdeText(deepest, valueAt(data, deepest.instancePath))}${at(deepest)}`;
  // serde names the outermost untagged enum that failed; the deepest error says what was wrong inside it.
  const top = errors
    .filter((e) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') && isRealEnum(e) && !NOT_UNTAGGED.has(api.componentOf(e.parentSchema) ?? ''))
    .sort((a, b) => a.instancePath.length - b.instancePath.length)[0];
  if (top) {
    const name = api.componentOf(top.parentSchema) ?? 'value';
    return { status: 400, message: `data did not match any variant of untagged enum ${name}${at(top)} (${detail})` };
  }
  return { status: 400, message: detail };
}
