// Makes, at build time, the snapshot of Python's memory the browser starts from:
//   node snapshot_in_pyodide.mjs <pyodide dir> <wheel> <out>
// <pyodide dir> must hold the very files the site serves (the tools' small standard
// library, python_stdlib_tools.zip, included): the snapshot records where modules sit
// inside it.
//
// The snapshot is taken once Python has started, imported assessments.api and scored each
// tool's empty form, before any reader's request, so it holds nothing but the guide's own
// code and questions. Pyodide checks that it is restored by the same build of itself;
// build/pyodide_runtime.py labels it with the wheel and standard library it was made
// with, which the browser checks too.
//
// It is then restored here, one request answered from it and a module outside the tools'
// standard library imported: a snapshot that Pyodide cannot restore (for example one
// larger than the memory Pyodide starts with) fails the build instead of silently slowing
// every reader's first visit.
import { readFileSync, writeFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [, , pyodideDir, wheelPath, outPath] = process.argv;
const indexURL = pyodideDir + "/";
const stdLibURL = indexURL + "python_stdlib_tools.zip";
// A Node Buffer is not a plain typed array to Pyodide: hand it a Uint8Array.
const wheel = new Uint8Array(readFileSync(wheelPath));

async function startTools(options) {
  const pyodide = await loadPyodide({ indexURL, stdLibURL, ...options });
  pyodide.unpackArchive(wheel, "wheel");
  return { pyodide, handle: pyodide.pyimport("assessments.api").handle };
}

const { pyodide, handle } = await startTools({ _makeSnapshot: true });
// Each tool scores once, so its questions are read and checked now, not on a reader's
// first visit (the tools keep them in memory), with every module it uses imported.
const toolNames = pyodide.runPython("from assessments.tools import TOOLS; list(TOOLS)");
const tools = toolNames.toJs();
toolNames.destroy(); // a snapshot may hold no reference to a JavaScript object
for (const tool of tools) {
  const reply = JSON.parse(handle(JSON.stringify({ op: "score", tool, answers: {} })));
  if (!reply.ok) throw new Error(`${tool} could not score an empty form: ${reply.error}`);
}
const memory = pyodide.makeMemorySnapshot();

const restored = await startTools({ _loadSnapshot: memory });
const reply = JSON.parse(restored.handle(JSON.stringify({ op: "score", tool: "data-maturity", answers: {} })));
if (!reply.ok) throw new Error(`the restored snapshot could not score a tool: ${reply.error}`);
// A module outside the tools' standard library still imports once Python is restored, as
// the worker sets it up (build/stdlib_fallback.py), from the whole library beside it.
restored.pyodide.pyimport("cssc_stdlib_fallback").install(() => new Uint8Array(readFileSync(`${pyodideDir}/python_stdlib.zip`)));
restored.pyodide.runPython("import wave, xml.dom.minidom");

writeFileSync(outPath, memory);
