/**
 * The preflight decisions a run makes from its source before touching Qdrant or Redis: the distance
 * (DISTANCE=auto's choice, or the user's with a warning when it breaks FAISS's ranking), and whether the
 * framework layouts can give every document its own point id. Refusals here happen before anything is
 * written anywhere.
 */
import { isFrameworkLayout, migrationFieldsLine, type Distance, type MigrationConfig, type SourceSummary } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { rankingWarning } from '../source/auto-distance';

export interface DistanceDecision {
  distance: Distance;
  /** The line run prints: what was chosen and why. */
  line: string;
  warning: string | null;
}

export function decideDistance(config: Pick<MigrationConfig, 'distance'>, source: SourceSummary): DistanceDecision {
  const auto = source.autoDistance;
  if (config.distance === 'auto') {
    // openSource always sets autoDistance; a summary without it (an old snapshot) falls back to the seed's Cosine
    if (!auto) return { distance: 'Cosine', line: 'Distance: Cosine (DISTANCE=auto: no vector sample, the seed\'s default)', warning: null };
    return { distance: auto.distance, line: `Distance: ${auto.distance} (DISTANCE=auto: ${auto.reason})`, warning: null };
  }
  const warning = auto ? rankingWarning(source.index.metric, config.distance, auto) : null;
  return { distance: config.distance, line: `Distance: ${config.distance} (set by DISTANCE)`, warning };
}

/** Throws before anything is written when the layout cannot give every document its own point. */
export function checkDocumentIds(layout: string, source: SourceSummary): void {
  const docs = source.documents;
  if (!docs || !isFrameworkLayout(layout)) return;
  if (docs.vectorsWithoutDocument > 0) {
    const example = docs.examples.find((e) => e.startsWith('vector ')) ?? `${docs.vectorsWithoutDocument} vectors`;
    throw new UserError(
      'badInput',
      `${source.path}: ${docs.vectorsWithoutDocument} vector${docs.vectorsWithoutDocument === 1 ? ' has' : 's have'} no document in the docstore (${example}); the ${layout} layout needs every vector's document, and the framework itself could not return these hits, so nothing was written: repair the store, or set PAYLOAD_LAYOUT=raw to migrate the vectors keyed by FAISS label`,
    );
  }
  if (docs.idCollisions.length > 0) {
    throw new UserError(
      'badInput',
      `${source.path}: ${docs.idCollisions[0]}${docs.idCollisions.length > 1 ? ` (and ${docs.idCollisions.length - 1} more)` : ''}; in the ${layout} layout each document is one point, so nothing was written: give the documents distinct ids, or set PAYLOAD_LAYOUT=raw to key points by FAISS label`,
    );
  }
  if (layout === 'llamaindex' && docs.reservedKeyDocuments.length > 0) {
    throw new UserError(
      'badInput',
      `${source.path}: document "${docs.reservedKeyDocuments[0]}" has a metadata key "_xnai", which the llamaindex layout reserves for the migration's own fields (metadata is flattened to the top level); nothing was written: rename that key, or set PAYLOAD_LAYOUT=langchain (metadata nested)`,
    );
  }
}

/** "Migration fields: _xnai.source, ..." for the run's log and inspect. */
export function migrationFieldsNote(layout: string): string {
  return `Migration fields: ${migrationFieldsLine(layout)}`;
}
