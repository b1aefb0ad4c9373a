// The downloads of a report on a reader's file (the data quality check's, and test and
// monitor's): each is made here from what Python returned (the report, never the data),
// and handed to the browser. Word files come from the document model Python made
// (assessments/core/report_document.py), through the same writer as every tool's Word file;
// the writer and its library load on the first Word download of the visit, never before.

import { saveFile } from "./cssc-files.js";

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
  let body = content;
  if (format === "word") {
    try {
      const { wordFile } = await import("./cssc-word.js");
      body = await wordFile(content);
    } catch (problem) {
      console.warn("The Word writer failed:", problem);
      throw new Error("The Word file could not be made in this browser. Use another download, or try again after reloading the page.");
    }
  }
  saveFile(body, `${baseName}${suffix}`, mediaType);
  return `${baseName}${suffix}`;
}
