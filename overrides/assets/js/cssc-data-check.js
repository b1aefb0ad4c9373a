// The page's side of the data quality check (the worker's is cssc-data-worker.js).
//
// The reader chooses a file; the File object (a handle, not the data) goes to the worker,
// which reads it and sends back a report that holds counts and rates only, already
// rendered by Python. The page keeps the File and the last report in memory, and only
// there: never in localStorage, never in the kept result. "Clear the file and report",
// "Clear my answers" and leaving the page drop them. When the settings change, the same
// file is checked again (a check still running is cancelled first).

import { readerVoice, readingProgress } from "./cssc-files.js";
import { fileStem, saveReport } from "./cssc-report-files.js";

const RECHECK_DELAY_MS = 400; // coalesce typing in a settings box into one check

export function startDataCheck(panel, { runCheck, cancelCheck, settings, siteRoot }) {
  if (panel.dataset.csscStarted) return;
  panel.dataset.csscStarted = "true";
  const find = (selector) => panel.querySelector(selector);
  const fileInput = find("[data-data-check-file]");
  const sheetRow = find("[data-data-check-sheet-row]");
  const sheetSelect = find("[data-data-check-sheet]");
  const progress = find("[data-data-check-progress]");
  const status = find("[data-data-check-status]");
  const cancelButton = find("[data-data-check-cancel]");
  const message = find("[data-data-check-message]");
  const downloads = find("[data-data-check-downloads]");
  const report = find("[data-data-check-report]");
  const columnList = find("[data-data-check-columns]");
  const form = panel.closest("form");
  if (!fileInput || !sheetSelect || !progress || !status || !cancelButton || !message || !downloads || !report || !form) {
    console.error("cssc-data-check: the data quality check's panel is missing part of its markup.");
    return;
  }
  find("[data-data-check-nojs]")?.remove();
  find("[data-data-check-controls]").hidden = false;
  const intro = report.innerHTML;

  let file = null; // the reader's File, while it is on the page
  let sheet = "";
  let current = null; // the check running: { id }
  let result = null; // the last report's downloads: { json, markdown, csv, word, baseName }
  let recheckTimer = 0;

  const { warn } = readerVoice(status, message);
  const reading = readingProgress(progress, status);

  function showProgress(step) {
    reading.show(file ? file.name : "the file", step, Boolean(file) && !sheet); // a workbook has a sheet
  }

  function idle() {
    reading.hide();
    cancelButton.hidden = true;
    current = null;
  }

  function forgetReport() {
    result = null;
    downloads.hidden = true;
    report.innerHTML = intro;
  }

  async function check() {
    if (!file) return;
    if (current) cancelCheck(current.id);
    warn("");
    const today = new Date();
    const request = {
      answers: settings(),
      sheet,
      site_root: siteRoot,
      today: `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`,
    };
    const job = runCheck({ op: "run", file, request }, (step) => {
      // The reader went to another page (instant navigation keeps this script): stop.
      if (!panel.isConnected) {
        cancelCheck(job.id);
        return;
      }
      if (current === job) showProgress(step);
      if (step.columns) showColumns(step.columns);
    });
    current = job;
    cancelButton.hidden = false;
    report.setAttribute("aria-busy", "true");
    showProgress({ rows: 0, bytes: 0, size: file.size });
    const response = await job.done;
    if (current !== job) return; // replaced by a newer check
    idle();
    report.removeAttribute("aria-busy");
    if (!response.ok) {
      status.textContent = response.cancelled ? "The check was cancelled. Choose a file to start again." : "";
      if (!response.cancelled) warn(response.error);
      forgetReport();
      if (response.cancelled) file = null;
      return;
    }
    report.innerHTML = response.html; // built and escaped by Python: counts and rates only
    report.dataset.workerMemory = String(response.memoryBytes || 0); // read by bench/data_quality.py
    result = {
      json: response.report,
      markdown: response.markdown,
      csv: response.csv,
      word: response.document, // a document model for the Word writer
      baseName: `data-quality-report-${fileStem(file.name, "data")}`,
    };
    downloads.hidden = false;
    status.textContent = response.summary;
  }

  function showColumns(columns) {
    columnList.replaceChildren(...columns.map((name) => Object.assign(document.createElement("option"), { value: name })));
  }

  fileInput.addEventListener("change", async () => {
    const chosen = fileInput.files && fileInput.files[0];
    fileInput.value = ""; // so choosing the same file again checks it again
    if (!chosen) return;
    if (current) cancelCheck(current.id);
    idle();
    forgetReport();
    file = chosen;
    sheet = "";
    sheetRow.hidden = true;
    sheetSelect.replaceChildren();
    warn("");
    status.textContent = `Opening “${chosen.name}”…`;
    const opened = await runCheck({ op: "sheets", file: chosen }).done;
    if (file !== chosen) return;
    if (!opened.ok) {
      status.textContent = "";
      warn(opened.error);
      file = null;
      return;
    }
    if (opened.sheets.length > 1) {
      sheetSelect.replaceChildren(...opened.sheets.map((name) => Object.assign(document.createElement("option"), { value: name, textContent: name })));
      sheetRow.hidden = false;
    }
    sheet = opened.sheets[0] || "";
    check();
  });

  sheetSelect.addEventListener("change", () => {
    sheet = sheetSelect.value;
    check();
  });

  cancelButton.addEventListener("click", () => {
    if (current) cancelCheck(current.id);
  });

  for (const button of panel.querySelectorAll("[data-data-check-download]")) {
    button.addEventListener("click", async () => {
      if (!result) return;
      const format = button.dataset.dataCheckDownload;
      try {
        status.textContent = `Downloaded ${await saveReport(format, result[format], result.baseName)}.`;
      } catch (problem) {
        warn(`${problem.message} The report is unchanged.`);
      }
    });
  }

  function clear(text) {
    if (current) cancelCheck(current.id);
    idle();
    file = null;
    sheet = "";
    sheetRow.hidden = true;
    sheetSelect.replaceChildren();
    columnList.replaceChildren();
    forgetReport();
    warn("");
    status.textContent = text;
  }
  find("[data-data-check-clear]")?.addEventListener("click", () => clear("The file and its report have been cleared from this page."));
  form.addEventListener("cssc:cleared", () => clear(""));

  // A change to the settings: check the same file again with them.
  const settingsChanged = (event) => {
    if (panel.contains(event.target) || !file) return;
    window.clearTimeout(recheckTimer);
    recheckTimer = window.setTimeout(check, RECHECK_DELAY_MS);
  };
  form.addEventListener("change", settingsChanged);
  form.addEventListener("input", settingsChanged);
}
