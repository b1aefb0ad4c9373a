// The worker's side of the test and monitor tool (cssc-test-monitor.js is the page's side).
//
// The page posts the reader's File itself, never its text; Python reads it slice by slice,
// in steps, through the same reader, workbook support and stepping (progress between
// steps, and a cancel: { dataCheckCancel: id }) as the data quality check
// (cssc-data-worker.js), and keeps only counts by group, so the threshold slider can redraw
// the report without reading the file again. "forget" drops them.

const reason = (error) => String(error && error.message ? error.message : error);

export function testMonitorWork(ready, files) {
  let api = null;
  async function python() {
    const started = await ready;
    api ??= started.pyodide.pyimport("assessments.monitor.api");
    return { pyodide: started.pyodide, api };
  }

  async function run(id, job, post) {
    const { pyodide, api } = await python();
    if (job.op === "forget") {
      api.forget(job.period || "");
      return { ok: true };
    }
    if (job.op === "rethreshold") return JSON.parse(api.rethreshold(JSON.stringify(job.request)));
    if (job.op === "monitor") return JSON.parse(api.monitor(JSON.stringify(job.request)));
    if (job.op === "download") return JSON.parse(api.download(job.panel, job.kind));
    const problem = await files.prepare(pyodide, job.file);
    if (problem) return { ok: false, error: problem };
    const read = files.readerOf(job.file);
    if (job.op === "columns") return JSON.parse(api.columns(read, job.file.size, job.file.name, job.sheet || ""));
    // "analyse": read the file in steps, saying how far and taking a cancel between them,
    // as the data quality check does (the same stepThrough).
    const request = JSON.stringify({ ...job.request, file_name: job.file.name });
    const started = performance.now();
    const opened = JSON.parse(api.start(id, job.period, read, job.file.size, request));
    if (!opened.ok) return opened;
    post({ id, progress: { rows: 0, bytes: opened.bytes, size: opened.size } });
    const stopped = await files.stepThrough(id, api, "Reading the file was cancelled.", post);
    if (stopped) return stopped;
    const response = JSON.parse(api.finish(id));
    response.workerMs = performance.now() - started; // read by bench/test_and_monitor.py
    return response;
  }

  // One message from the page: { id, testMonitor: { op, file?, period?, request? } }.
  // Every message gets exactly one reply.
  return async function handle({ id, testMonitor }, post) {
    let response;
    try {
      response = await run(id, testMonitor, post);
    } catch (error) {
      response = { ok: false, error: `The file could not be tested (${reason(error)}).` };
    }
    post({ id, response });
  };
}
