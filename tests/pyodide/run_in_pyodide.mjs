// Runs a Python snippet inside Pyodide under Node, with the assessments wheel
// installed, and prints what the snippet prints. Used by the parity tests:
//   node run_in_pyodide.mjs <pyodide dir> <wheel> <python file>
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [, , pyodideDir, wheelPath, scriptPath] = process.argv;
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/", stdout: (line) => console.log(line), stderr: (line) => console.error(line) });
// A Node Buffer is not a plain typed array to Pyodide: hand it a Uint8Array.
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
await pyodide.runPythonAsync(readFileSync(scriptPath, "utf8"));
