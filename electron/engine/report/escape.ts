/** Escaping for the report formats: every value that came from a run, a file or Qdrant goes through these. */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A Markdown table cell: pipes escaped, newlines folded, markup characters neutralised. */
export function escapeMdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([`*_<>[\]])/g, '\\$1');
}

/** Markdown running text (headings, paragraphs): markup characters neutralised. */
export function escapeMd(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/([`*_<>[\]#|])/g, '\\$1');
}
