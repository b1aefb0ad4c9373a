// Writes Word files from document models with the same writer the page uses
// (overrides/assets/js/cssc-docx-writer.mjs), so the build's Word files (the stage
// checklists) look like the tools' own. Reads JSON from stdin: [{"path": ..., "document": model}].
import { writeFile } from "node:fs/promises";
import * as docx from "docx";
import { buildDocument } from "../overrides/assets/js/cssc-docx-writer.mjs";

let input = "";
for await (const chunk of process.stdin) input += chunk;
for (const { path, document } of JSON.parse(input)) {
  await writeFile(path, await docx.Packer.toBuffer(buildDocument(docx, document)));
}
