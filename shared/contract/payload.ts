/**
 * Where the migration's own payload fields sit, per payload layout, so the engine (payload builder,
 * payload indexes, verify, points browser), the CLI and the renderer name them alike.
 *
 * The seed's four fields (`source`, `faiss_id`, `migrated_at`, `batch_num`) are top-level keys in the `raw`
 * layout, exactly as the seed wrote them (that is the seed's interface). In the `langchain` and `llamaindex`
 * layouts the document's own metadata owns the payload (LlamaIndex flattens it to the top level, where a
 * node's own `source` would otherwise be overwritten), so the migration's fields move under one object,
 * `_xnai`, plus `_xnai.doc_id`: the framework's own document id (LangChain docstore id, LlamaIndex node id),
 * which is what the point id is derived from.
 */

export const MIGRATION_FIELDS = ['source', 'faiss_id', 'migrated_at', 'batch_num'] as const;
export type MigrationField = (typeof MIGRATION_FIELDS)[number] | 'doc_id';

/** The object holding the migration's fields in the framework layouts. */
export const MIGRATION_FIELDS_KEY = '_xnai';

/** True for layouts whose payload belongs to a framework's document (the fields sit under `_xnai`). */
export function isFrameworkLayout(layout: string | null | undefined): boolean {
  return layout === 'langchain' || layout === 'llamaindex';
}

/** The payload path of one migration field for a layout (the dotted key Qdrant filters and indexes use). */
export function migrationFieldPath(layout: string | null | undefined, field: MigrationField): string {
  return isFrameworkLayout(layout) ? `${MIGRATION_FIELDS_KEY}.${field}` : field;
}

/**
 * A migration field read from a stored payload whatever its layout: `_xnai.<field>` when the payload has
 * the `_xnai` object, else the top-level key (raw layout, and collections migrated before the move).
 */
export function readMigrationField(payload: Record<string, unknown> | null | undefined, field: MigrationField): unknown {
  if (!payload) return undefined;
  const nested = payload[MIGRATION_FIELDS_KEY];
  if (nested !== null && typeof nested === 'object' && !Array.isArray(nested) && field in nested) return (nested as Record<string, unknown>)[field];
  return Object.prototype.hasOwnProperty.call(payload, field) ? payload[field] : undefined;
}

/** One line saying where the migration's fields go, for inspect, run and the Set-up view. */
export function migrationFieldsLine(layout: string | null | undefined): string {
  const paths = MIGRATION_FIELDS.map((f) => migrationFieldPath(layout, f));
  return isFrameworkLayout(layout)
    ? `${paths.join(', ')} and ${migrationFieldPath(layout, 'doc_id')} (kept apart from the document's own metadata, indexed)`
    : `${paths.join(', ')} (top level, as the seed wrote them, indexed)`;
}
