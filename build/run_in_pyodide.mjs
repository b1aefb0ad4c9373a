// Runs a Python file inside Pyodide under Node, with the assessments wheel installed,
// and prints what it prints. The build uses it to precompile bytecode
// (build/precompile_in_pyodide.py), the tests to prove parity with CPython:
//   node run_in_pyodide.mjs <pyodide dir> <wheel> <python file> [<host dir> [args...]]
// A host directory is mounted at the same path inside Pyodide, so the script can read
// and write files there; the arguments after it reach the script as sys.argv[1:].
//
// A <pyodide dir> the build wrote (it holds python_stdlib_tools.zip) runs as the browser
// does: the tools' small standard library, with the rest fetched from python_stdlib.zip
// only when a module outside it is imported. Pyodide's own folder runs as published.
import { existsSync, readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [, , pyodideDir, wheelPath, scriptPath, hostDir, ...args] = process.argv;
const toolsStdlib = `${pyodideDir}/python_stdlib_tools.zip`;
const asTheSiteServes = existsSync(toolsStdlib);
const pyodide = await loadPyodide({
  indexURL: pyodideDir + "/",
  ...(asTheSiteServes ? { stdLibURL: toolsStdlib } : {}),
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
});
if (asTheSiteServes) {
  pyodide.pyimport("cssc_stdlib_fallback").install(() => new Uint8Array(readFileSync(`${pyodideDir}/python_stdlib.zip`)));
}
// A Node Buffer is not a plain typed array to Pyodide: hand it a Uint8Array.
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
if (hostDir) {
  pyodide.FS.mkdirTree(hostDir);
  pyodide.mountNodeFS(hostDir, hostDir);
}
pyodide.pyimport("sys").argv = pyodide.toPy([scriptPath, ...args]);
await pyodide.runPythonAsync(readFileSync(scriptPath, "utf8"));
