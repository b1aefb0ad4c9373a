// The page's side of the test and monitor tool (the worker's is cssc-test-monitor-worker.js).
//
// The reader chooses a case file; the File object (a handle, not the data) goes to the
// worker, which reads it into counts by group and sends back a report already rendered
// by Python: counts and measures only. The page keeps the File and the last report in
// memory, and only there: never in localStorage, never in the kept result. The answers
// (thresholds and column mapping) are saved by cssc-tools.js like any tool's.
//
// Moving the score threshold asks the worker for the report from the counts it holds
// (no reading); a changed column reads the file again. At most one request is in flight
// per panel: a newer change waits for it and then sends only the latest.

import { readerVoice, readingProgress } from "./cssc-files.js";
import { fileStem, saveReport } from "./cssc-report-files.js";

const CHANGE_DELAY_MS = 300; // coalesce typing in a box into one request
const REREAD_FIELDS = /^(outcome-column|prediction-column|score-column|score-lowest|score-highest|group-column-\d+|drift-column-\d+)$/;

function parts(panel) {
  const find = (selector) => panel.querySelector(selector);
  return {
    status: find("[data-test-monitor-status]"),
    bar: find("[data-test-monitor-progress]"),
    cancelButton: find("[data-test-monitor-cancel]"),
    message: find("[data-test-monitor-message]"),
    downloads: find("[data-test-monitor-downloads]"),
    report: find("[data-test-monitor-report]"),
  };
}

// A panel's report area: reads a file with progress and a cancel, shows a response,
// offers its downloads, says problems. The downloads are made by Python from the report
// shown, when asked (not on every move).
function reportArea(panel, baseName, { ask, read, cancel, name: panelName }) {
  const { status, bar, cancelButton, message, downloads, report } = parts(panel);
  const intro = report.innerHTML;
  const progress = readingProgress(bar, status);
  let result = null;
  let reading = null; // the file being read: { id, done }
  cancelButton.addEventListener("click", () => area.stopReading());
  const area = {
    status,
    warn: readerVoice(status, message).warn,
    // Read a file in the worker in steps ({ op: "analyse", period, file, request }),
    // saying how far; resolves to the response ({ cancelled: true } if stopped).
    async read(job, bySize) {
      const run = read(job, (step) => {
        if (!panel.isConnected) cancel(run.id); // the reader left for another page
        else if (reading === run) progress.show(job.file.name, step, bySize);
      });
      reading = run;
      cancelButton.hidden = false;
      progress.show(job.file.name, { rows: 0, bytes: 0, size: job.file.size }, bySize);
      const response = await run.done;
      if (reading === run) {
        reading = null;
        cancelButton.hidden = true;
        progress.hide();
      }
      return response;
    },
    stopReading() {
      if (reading) cancel(reading.id);
    },
    show(response, name) {
      report.innerHTML = response.html; // built and escaped by Python: counts and measures only
      result = { name: `${baseName}-${fileStem(name, "cases")}` };
      downloads.hidden = false;
      status.textContent = response.summary;
      area.warn("");
    },
    forget() {
      result = null;
      downloads.hidden = true;
      report.innerHTML = intro;
    },
  };
  for (const button of panel.querySelectorAll("[data-test-monitor-download]")) {
    button.addEventListener("click", async () => {
      if (!result) return;
      const kind = button.dataset.testMonitorDownload;
      const { name } = result;
      const made = await ask({ op: "download", panel: panelName, kind });
      if (!made.ok) {
        area.warn(made.error);
        return;
      }
      try {
        status.textContent = `Downloaded ${await saveReport(kind, kind === "word" ? made.document : made.text, name)}.`;
      } catch (problem) {
        area.warn(`${problem.message} The report is unchanged.`);
      }
    });
  }
  return area;
}

// Runs one request at a time; a request made while one runs replaces any other waiting.
function oneAtATime() {
  let running = false;
  let waiting = null;
  return function submit(work) {
    if (running) {
      waiting = work;
      return;
    }
    running = true;
    Promise.resolve(work()).finally(() => {
      running = false;
      const next = waiting;
      waiting = null;
      if (next) submit(next);
    });
  };
}

// A workbook's sheet choice for one file input ([data-test-monitor-sheet-row]): `open`
// reads the file's headings and sheets; a workbook with more than one sheet offers them,
// and choosing one calls `changed`. `name` is the sheet to read ("" for the first).
function sheetChoice(row, ask, changed) {
  const select = row.querySelector("[data-test-monitor-sheet]");
  const choice = {
    name: "",
    file: null, // the file whose sheets are offered
    reset() {
      choice.name = "";
      choice.file = null;
      row.hidden = true;
      select.replaceChildren();
    },
    async open(file) {
      choice.reset();
      const opened = await ask({ op: "columns", file });
      if (!opened.ok) return opened;
      if (opened.sheets.length > 1) {
        select.replaceChildren(...opened.sheets.map((name) => Object.assign(document.createElement("option"), { value: name, textContent: name })));
        row.hidden = false;
      }
      choice.name = opened.sheet || "";
      select.value = choice.name;
      choice.file = file;
      return opened;
    },
  };
  select.addEventListener("change", () => {
    choice.name = select.value;
    changed(choice.name);
  });
  return choice;
}

export function startTestMonitor(form, { ask, read, cancel, answers, siteRoot }) {
  const panel = form.querySelector("[data-test-monitor]");
  const periods = form.querySelector("[data-test-monitor-periods]");
  if (!panel || !periods || panel.dataset.csscStarted) return;
  panel.dataset.csscStarted = "true";
  for (const part of form.querySelectorAll("[data-test-monitor-nojs]")) part.remove();
  for (const part of form.querySelectorAll("[data-test-monitor-controls]")) part.hidden = false;
  const slider = form.querySelector("[data-test-monitor-slider]");
  const sliderValue = form.querySelector("[data-test-monitor-slider-value]");
  const columnList = form.querySelector("[data-test-monitor-columns]");
  const current = reportArea(panel, "test-and-monitor-report", { ask, read, cancel, name: "current" });
  const compared = reportArea(periods, "test-and-monitor-comparison", { ask, read, cancel, name: "monitor" });
  const submitCurrent = oneAtATime();
  const submitPeriods = oneAtATime();
  const files = { current: null, before: null, after: null };
  const sheetRow = (which) => form.querySelector(`[data-test-monitor-sheet-row="${which}"]`);
  const sheets = {
    current: sheetChoice(sheetRow("current"), ask, async (sheet) => {
      const opened = await ask({ op: "columns", file: files.current, sheet });
      if (opened.ok) showColumns(opened.columns);
      analyse();
    }),
    before: sheetChoice(sheetRow("before"), ask, () => comparePeriods()),
    after: sheetChoice(sheetRow("after"), ask, () => comparePeriods()),
  };
  let analysed = false; // the worker holds counts for the current file
  let changeTimer = 0;
  ask({ op: "forget" }); // counts from an earlier visit to this page in the same tab

  const request = (extra = {}) => ({ answers: answers(), sheet: sheets.current.name, site_root: siteRoot, ...extra });
  const mapped = () => {
    const given = answers();
    return Boolean(given["outcome-column"] && (given["prediction-column"] || given["score-column"]));
  };

  function fitSlider() {
    const given = answers();
    const low = Number.parseFloat(given["score-lowest"] ?? "0");
    const high = Number.parseFloat(given["score-highest"] ?? "1");
    if (Number.isFinite(low) && Number.isFinite(high) && low < high) {
      slider.min = String(low);
      slider.max = String(high);
      slider.step = String((high - low) / 100);
    }
    sliderValue.textContent = slider.value;
  }
  fitSlider();

  function showColumns(columns) {
    columnList.replaceChildren(...columns.map((name) => Object.assign(document.createElement("option"), { value: name })));
  }

  // Read the current file again with the answers as they are now.
  function analyse() {
    const file = files.current;
    if (!file) return;
    if (!mapped()) {
      analysed = false;
      current.status.textContent = `“${file.name}” is ready: choose the column with what happened and the column with the tool's prediction or score.`;
      return;
    }
    submitCurrent(async () => {
      if (files.current !== file) return;
      panel.setAttribute("aria-busy", "true");
      const response = await current.read({ op: "analyse", period: "current", file, request: request() }, !sheets.current.name);
      panel.removeAttribute("aria-busy");
      if (files.current !== file) return;
      analysed = response.ok;
      if (response.ok) current.show(response, file.name);
      else if (response.cancelled) {
        clear(["current"], `Reading “${file.name}” was cancelled. Choose a file to start again.`);
      } else {
        current.forget();
        current.status.textContent = "";
        current.warn(response.error); // the file and every answer stay: correct the column or the file
      }
    });
  }

  // The report again from the counts the worker holds (the slider, or a threshold box).
  function redraw(threshold) {
    if (!analysed || !files.current) return;
    const name = files.current.name;
    submitCurrent(async () => {
      const response = await ask({ op: "rethreshold", request: request(threshold === undefined ? {} : { threshold }) });
      if (!analysed) return;
      if (response.ok) current.show(response, name);
      else current.warn(response.error);
    });
  }

  function comparePeriods() {
    // Both files chosen and opened (their sheets known).
    if (!files.before || !files.after || sheets.before.file !== files.before || sheets.after.file !== files.after) return;
    if (!mapped()) {
      compared.status.textContent = "Choose the columns above (what happened, and the tool's prediction or score) to compare the periods.";
      return;
    }
    const chosen = { ...files };
    const sheet = { before: sheets.before.name, after: sheets.after.name };
    submitPeriods(async () => {
      compared.status.textContent = "Comparing the two periods…";
      for (const period of ["before", "after"]) {
        const response = await compared.read({ op: "analyse", period, file: chosen[period], request: request({ sheet: sheet[period] }) }, !sheet[period]);
        if (files[period] !== chosen[period]) return;
        if (response.cancelled) {
          clear(["before", "after"], "Reading the files was cancelled. Choose them again to compare the periods.");
          return;
        }
        if (!response.ok) {
          compared.forget();
          compared.status.textContent = "";
          compared.warn(`${period === "before" ? "The earlier" : "The later"} period's file: ${response.error}`);
          return;
        }
      }
      const response = await ask({ op: "monitor", request: request({ threshold: Number.parseFloat(slider.value) }) });
      if (response.ok) compared.show(response, `${chosen.before.name}-${chosen.after.name}`);
      else compared.warn(response.error);
    });
  }

  for (const input of form.querySelectorAll("[data-test-monitor-file]")) {
    input.addEventListener("change", async () => {
      const chosen = input.files && input.files[0];
      input.value = ""; // so choosing the same file again reads it again
      if (!chosen) return;
      const period = input.dataset.testMonitorFile;
      files[period] = chosen;
      if (period !== "current") {
        periods.querySelector(`[data-test-monitor-chosen="${period}"]`).textContent = `Chosen: “${chosen.name}”.`;
        const opened = await sheets[period].open(chosen);
        if (files[period] !== chosen) return;
        if (opened.ok) comparePeriods();
        else {
          compared.forget();
          compared.warn(`${period === "before" ? "The earlier" : "The later"} period's file: ${opened.error}`);
        }
        return;
      }
      current.stopReading(); // a file still being read is replaced: stop it
      analysed = false;
      current.forget();
      current.warn("");
      current.status.textContent = `Opening “${chosen.name}”…`;
      const opened = await sheets.current.open(chosen);
      if (files.current !== chosen) return;
      if (!opened.ok) {
        current.status.textContent = "";
        current.warn(opened.error);
        files.current = null;
        return;
      }
      showColumns(opened.columns);
      analyse();
    });
  }

  slider.addEventListener("input", () => {
    sliderValue.textContent = slider.value;
    redraw(Number.parseFloat(slider.value));
  });

  // Any other answer: a column or the score range reads the files again; a threshold
  // only redraws from the counts held.
  const answered = (event) => {
    const target = event.target;
    if (!target.name || target === slider || target.type === "file") return;
    if (target.name === "score-lowest" || target.name === "score-highest") fitSlider();
    window.clearTimeout(changeTimer);
    changeTimer = window.setTimeout(() => {
      if (REREAD_FIELDS.test(target.name)) {
        analyse();
        comparePeriods();
      } else {
        redraw();
        comparePeriods();
      }
    }, CHANGE_DELAY_MS);
  };
  form.addEventListener("input", answered);
  form.addEventListener("change", answered);

  function clear(which, text) {
    for (const period of which) {
      files[period] = null;
      sheets[period].reset();
    }
    if (which.includes("current")) {
      current.stopReading();
      analysed = false;
      columnList.replaceChildren();
      current.forget();
      current.warn("");
      current.status.textContent = text;
    } else {
      compared.stopReading();
      for (const chosen of periods.querySelectorAll("[data-test-monitor-chosen]")) chosen.textContent = "";
      compared.forget();
      compared.warn("");
      compared.status.textContent = text;
    }
    for (const period of which) ask({ op: "forget", period });
  }
  panel.querySelector("[data-test-monitor-clear]")?.addEventListener("click", () =>
    clear(["current"], "The file and its report have been cleared from this page."));
  periods.querySelector("[data-test-monitor-clear]")?.addEventListener("click", () =>
    clear(["before", "after"], "The files and their comparison have been cleared from this page."));
  // Leaving for another page of the guide (the theme's instant navigation keeps the
  // worker): the counts held for this page go. (The theme's bundle has run before the
  // tools' module: without it, there is no instant navigation to follow.)
  const leaving = window.document$?.subscribe(() => {
    if (panel.isConnected) return;
    files.current = files.before = files.after = null;
    analysed = false;
    ask({ op: "forget" });
    leaving?.unsubscribe();
  });
  form.addEventListener("cssc:cleared", () => {
    clear(["current"], "");
    clear(["before", "after"], "");
    fitSlider();
  });
}
