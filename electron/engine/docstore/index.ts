/** Opens the documents of a detected RAG folder. */
import type { SourceKind } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import type { DocumentStore } from './types';

export async function openDocumentStore(kind: Exclude<SourceKind, 'faiss-file'>, files: Record<string, string>): Promise<DocumentStore> {
  // Interim (this commit lands the lone-file source first): folder docstores follow in the next commits.
  throw new UserError('badInput', `${Object.values(files)[0] ?? kind}: ${kind} documents are not readable in this build yet`);
}
