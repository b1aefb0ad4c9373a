// Runs a Python file inside Pyodide under Node, with the assessments wheel installed,
// and prints what it prints. The build uses it to precompile bytecode
// (build/precompile_in_pyodide.py), the tests to prove parity with CPython:
//   node run_in_pyodide.mjs <pyodide dir> <wheel> <python file> [<host dir> [args...]]
// A host directory is mounted at the same path inside Pyodide, so the script can read
// and write files there; the arguments after it reach the script as sys.argv[1:].
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [, , pyodideDir, wheelPath, scriptPath, hostDir, ...args] = process.argv;
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/", stdout: (line) => console.log(line), stderr: (line) => console.error(line) });
// A Node Buffer is not a plain typed array to Pyodide: hand it a Uint8Array.
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
if (hostDir) {
  pyodide.FS.mkdirTree(hostDir);
  pyodide.mountNodeFS(hostDir, hostDir);
}
pyodide.pyimport("sys").argv = pyodide.toPy([scriptPath, ...args]);
await pyodide.runPythonAsync(readFileSync(scriptPath, "utf8"));
