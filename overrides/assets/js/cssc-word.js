// The Word downloads, in the page: every tool's, the governance pack and the reports on a
// reader's file. The document itself comes from Python (assessments/core/word_document.py,
// report_document.py); this makes it a .docx and saves it. This module is small and loaded
// with the tools' script; the writer and its library (about 230 KB compressed) load only on
// the first Word download of the visit, never on a first visit.

import { saveFile } from "./cssc-files.js";

async function wordFile(model) {
  const [docx, { buildDocument }] = await Promise.all([
    import("../vendor/docx/docx.mjs"),
    import("./cssc-docx-writer.mjs"),
  ]);
  return docx.Packer.toBlob(buildDocument(docx, model));
}

// Save Python's Word download ({ document, file_name, media_type }). Where this browser
// cannot make the file (the library did not load, say), nothing is saved: the reason goes
// to the console and `failure`, the plain words for the reader, to `warn`. True when saved.
export async function saveWordOrWarn({ document: model, file_name: fileName, media_type: mediaType }, warn, failure) {
  let file;
  try {
    file = await wordFile(model);
  } catch (problem) {
    console.warn("The Word writer failed:", problem);
    warn(failure);
    return false;
  }
  saveFile(file, fileName, mediaType);
  return true;
}
