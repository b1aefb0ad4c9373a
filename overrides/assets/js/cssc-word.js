// The tools' Word downloads, in the page. Imported by cssc-tools.js only when a reader
// asks for a Word file, so the library (about 230 KB compressed) is never part of a
// first visit. The document itself comes from Python (assessments/core/word_document.py).

import * as docx from "../vendor/docx/docx.mjs";
import { buildDocument } from "./cssc-docx-writer.mjs";

export function wordFile(model) {
  return docx.Packer.toBlob(buildDocument(docx, model));
}
