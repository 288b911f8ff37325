/** The payload layout a run used: the one recorded in its state, else the configured one, "auto" resolved. */
import type { SourceSummary } from '../../../shared/contract';

export type ConcreteLayout = 'langchain' | 'llamaindex' | 'raw';

export function resolveLayout(layout: string, source: SourceSummary): ConcreteLayout {
  if (layout === 'langchain' || layout === 'llamaindex' || layout === 'raw') return layout;
  return source.documents?.defaultLayout ?? 'raw';
}
