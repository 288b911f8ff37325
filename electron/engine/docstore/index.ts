/** Opens the documents of a detected RAG folder (see ../source/detect for how folders are recognised). */
import type { SourceKind } from '../../../shared/contract';
import { openLangChainJs } from './langchain-js';
import { openLangChainPython } from './langchain-python';
import { openLlamaIndex } from './llamaindex';
import type { DocumentStore } from './types';

export type { DocumentStore, SourceDocument } from './types';

export async function openDocumentStore(kind: Exclude<SourceKind, 'faiss-file'>, files: Record<string, string>): Promise<DocumentStore> {
  switch (kind) {
    case 'langchain-python':
      return openLangChainPython(files.pickle!);
    case 'langchain-js':
      return openLangChainJs(files.docstore!);
    case 'llamaindex':
    case 'llamaindex-map':
      return openLlamaIndex(files, kind);
  }
}
