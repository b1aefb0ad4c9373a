// The downloads of a report on a reader's file (the data quality check's, and test and
// monitor's): each is made here from what Python returned (the report, never the data),
// and handed to the browser. Word files come from the document model Python made
// (assessments/core/report_document.py), through the same writer as every tool's Word file
// (cssc-word.js).

import { saveFile } from "./cssc-files.js";
import { saveWordOrWarn } from "./cssc-word.js";

const FORMATS = {
  json: [".json", "application/json"],
  markdown: [".md", "text/markdown"],
  csv: [".csv", "text/csv"],
  word: [".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
};

// A reader's file name made safe for the name of a download: "Referrals 2026.csv" → "Referrals-2026".
export function fileStem(name, fallback) {
  return name.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9-_]+/g, "-").slice(0, 60) || fallback;
}

// Save one download of a report as `baseName` plus the format's ending: `content` is the
// text, or for "word" the document model. Returns the file's name; throws an Error whose
// message says the problem in plain words.
export async function saveReport(format, content, baseName) {
  const [suffix, mediaType] = FORMATS[format];
  const fileName = `${baseName}${suffix}`;
  if (format === "word") {
    // Where the file cannot be made, the reader's words are thrown, as for every problem here.
    const failed = (message) => { throw new Error(message); };
    await saveWordOrWarn({ document: content, file_name: fileName, media_type: mediaType }, failed,
      "The Word file could not be made in this browser. Use another download, or try again after reloading the page.");
  } else {
    saveFile(content, fileName, mediaType);
  }
  return fileName;
}
