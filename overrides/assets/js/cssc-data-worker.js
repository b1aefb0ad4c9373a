// The worker's side of the data quality check (cssc-data-check.js is the page's side).
//
// The page posts the reader's File itself, never its text: Python reads it slice by
// slice through FileReaderSync (assessments/data/loader.py, ByteSource), so the file is
// never copied whole into the worker. Python reads it in steps of rows; between steps the
// worker posts progress and lets a "cancel" in. Nothing of the file is kept once a check
// ends: Python forgets its run, and the File goes with the message.
//
// A workbook needs openpyxl, a pure-Python wheel the build ships beside the runtime
// (build/workbook_wheels.py). It is loaded the first time a workbook is opened, never
// for a CSV file or on a first visit.

const runtimeBase = new URL("../pyodide/", import.meta.url);
const XLSX_MAGIC = [0x50, 0x4b, 0x03, 0x04];

const reason = (error) => String(error && error.message ? error.message : error);

// openpyxl and what it needs, once per worker: for a workbook a reader opens here, or
// one a tool writes (the transparency record's spreadsheet for the ATRS team). A failure
// is reported and retried next time (the server may have been down for a moment).
let workbookSupport = null;
export function loadWorkbookSupport(pyodide) {
  workbookSupport ??= (async () => {
    const response = await fetch(new URL("workbook-wheels.json", runtimeBase), { cache: "no-cache" });
    if (!response.ok) throw new Error(`the server did not send workbook-wheels.json (HTTP ${response.status})`);
    const { wheels } = await response.json();
    await pyodide.loadPackage(wheels.map((name) => new URL(name, runtimeBase).href), { messageCallback: () => {} });
  })();
  workbookSupport.catch(() => {
    workbookSupport = null;
  });
  return workbookSupport;
}

export function dataChecks(ready) {
  const cancelled = new Set();

  function readerOf(file) {
    const reader = new FileReaderSync();
    return (offset, length) => new Uint8Array(reader.readAsArrayBuffer(file.slice(offset, offset + length)));
  }

  async function isWorkbook(file) {
    const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    return XLSX_MAGIC.every((byte, index) => head[index] === byte);
  }

  // Ready for Python to read `file`: openpyxl loaded if it is a workbook. A problem in
  // plain words, or "".
  async function prepare(pyodide, file) {
    if (!(await isWorkbook(file))) return "";
    try {
      await loadWorkbookSupport(pyodide);
      return "";
    } catch (error) {
      return `The part of this tool that reads Excel workbooks could not be loaded (${reason(error)}). Save the sheet as CSV and choose that instead.`;
    }
  }

  async function sheets({ file }) {
    const { pyodide, dataApi } = await ready;
    const problem = await prepare(pyodide, file);
    if (problem) return { ok: false, error: problem };
    return JSON.parse(dataApi.sheets(readerOf(file), file.size, file.name));
  }

  // Steps a run Python holds by `id` (data_check_api's or test_monitor_api's step and
  // cancel) to the end of its file, posting the rows read after each step and taking a
  // "cancel" ({ dataCheckCancel: id }) between steps. Resolves to null once the file is
  // read, or to the reply to send instead (a problem, or cancelled).
  async function stepThrough(id, api, cancelledText, post) {
    try {
      for (;;) {
        // A turn of the event loop between steps, so a "cancel" message can arrive.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (cancelled.has(id)) {
          api.cancel(id);
          return { ok: false, cancelled: true, error: cancelledText };
        }
        const stepped = JSON.parse(api.step(id)); // rows per step: the run's STEP_ROWS
        if (!stepped.ok) return stepped;
        post({ id, progress: { rows: stepped.rows, bytes: stepped.bytes, size: stepped.size } });
        if (stepped.done) return null;
      }
    } finally {
      cancelled.delete(id);
    }
  }

  async function run(id, { file, request }, post) {
    const { pyodide, dataApi } = await ready;
    const problem = await prepare(pyodide, file);
    if (problem) return { ok: false, error: problem };
    const started = JSON.parse(dataApi.start(id, readerOf(file), file.size, JSON.stringify({ ...request, file_name: file.name })));
    if (!started.ok) return started;
    post({ id, progress: { rows: 0, bytes: started.bytes, size: started.size, columns: started.columns } });
    const stopped = await stepThrough(id, dataApi, "The check was cancelled.", post);
    if (stopped) return stopped;
    const finished = JSON.parse(dataApi.finish(id, request.site_root || ""));
    // The worker's Python memory now (it only grows): for the bench, and for anyone
    // checking why a large file was slow. Pyodide's own module; 0 if it is not there.
    finished.memoryBytes = pyodide._module?.HEAPU8?.byteLength || 0;
    return finished;
  }

  // One message from the page: { id, dataCheck: { op: "sheets" | "run", file, request } }
  // or { dataCheckCancel: id }. Every "sheets" and "run" gets exactly one reply.
  async function handle(message, post) {
    if ("dataCheckCancel" in message) {
      cancelled.add(message.dataCheckCancel);
      return;
    }
    const { id, dataCheck } = message;
    let response;
    try {
      response = dataCheck.op === "sheets" ? await sheets(dataCheck) : await run(id, dataCheck, post);
    } catch (error) {
      response = { ok: false, error: `The file could not be checked (${reason(error)}).` };
    }
    cancelled.delete(id);
    post({ id, response });
  }
  // The test and monitor tool reads its files the same way (cssc-test-monitor-worker.js).
  handle.prepare = prepare;
  handle.readerOf = readerOf;
  handle.stepThrough = stepThrough;
  return handle;
}
