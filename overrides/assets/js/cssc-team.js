// The data maturity team view: colleagues' result files, combined by Python.
//
// Started by cssc-tools.js on each [data-team-view] form, with its `ask` (a request to
// Python in the worker). This module only reads the chosen files and shows what Python
// returns: the combined result, its downloads and the comparison of two dates are all
// worked out in assessments/data_maturity/team.py. Nothing is written to browser
// storage: colleagues' answers stay in this tab until it is closed or "Start again".

import { readChosenFile, readerVoice, saveFile } from "./cssc-files.js";

export function startTeamView(form, ask) {
  if (form.dataset.csscStarted) return;
  const status = form.querySelector("[data-status]");
  const message = form.querySelector("[data-message]");
  const result = form.querySelector("[data-result]");
  const controls = form.querySelector(".cssc-tool__controls");
  const filesInput = form.querySelector('[data-action="team-files"]');
  const dropZone = form.querySelector("[data-drop-zone]");
  const compare = form.querySelector("[data-compare]");
  const compareInput = form.querySelector('[data-action="team-compare"]');
  const compareResult = form.querySelector("[data-compare-result]");
  if (!status || !message || !result || !controls || !filesInput || !dropZone || !compare || !compareInput || !compareResult) {
    console.error("cssc-team: the team view is missing its status, message, result or file controls.");
    return;
  }
  form.dataset.csscStarted = "true";
  form.classList.add("cssc-tool--js");
  controls.hidden = false;
  compare.hidden = false;
  form.addEventListener("submit", (event) => event.preventDefault());

  const { say, warn } = readerVoice(status, message);
  const maxBytes = Number(form.dataset.maxFileBytes);
  const maxFiles = Number(form.dataset.maxFiles);
  const siteRoot = new URL(form.dataset.siteRoot || "./", window.location.href).href;
  const downloadButtons = form.querySelectorAll('[data-action="team-download"], [data-action="team-print"]');
  let chosen = []; // [{name, text}] of every file read so far, in the order chosen
  let downloads = null;
  let sequence = 0;

  // Files that cannot be read at all are named here; Python names every other problem.
  async function readAll(files) {
    const read = [];
    const problems = [];
    for (const file of files) {
      const { text, problem } = await readChosenFile(file, maxBytes, "It was not counted.");
      if (problem) problems.push(problem);
      else read.push({ name: file.name, text });
    }
    return { read, problems };
  }

  async function combine(note) {
    const mine = ++sequence;
    result.setAttribute("aria-busy", "true");
    say(`Combining ${chosen.length} file${chosen.length === 1 ? "" : "s"}…`);
    const response = await ask({ op: "team_combine", files: chosen, site_root: siteRoot });
    if (mine !== sequence || !form.isConnected) return; // newer files are on their way
    result.removeAttribute("aria-busy");
    if (!response.ok) {
      warn(response.error);
      say("");
      return;
    }
    result.innerHTML = response.html; // built and escaped by Python
    downloads = response.downloads;
    for (const button of downloadButtons) button.disabled = response.counted === 0;
    say(response.summary);
    warn(note);
  }

  async function add(files) {
    const list = [...files];
    if (!list.length) return;
    if (chosen.length + list.length > maxFiles) {
      warn(`The team view combines up to ${maxFiles} files at once; ${chosen.length + list.length} were chosen. Nothing was added.`);
      return;
    }
    const { read, problems } = await readAll(list);
    chosen = chosen.concat(read);
    await combine(problems.join(" "));
  }

  filesInput.addEventListener("change", async () => {
    const files = filesInput.files ? [...filesInput.files] : [];
    filesInput.value = ""; // so choosing the same files again still reads them
    await add(files);
  });

  // Dropping is a shortcut for the file button, which stays the way in for a keyboard.
  dropZone.addEventListener("dragover", (event) => {
    event.preventDefault();
    dropZone.classList.add("cssc-team__drop--over");
  });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("cssc-team__drop--over"));
  dropZone.addEventListener("drop", async (event) => {
    event.preventDefault();
    dropZone.classList.remove("cssc-team__drop--over");
    await add(event.dataTransfer ? event.dataTransfer.files : []);
  });

  form.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button || !form.contains(button)) return;
    const action = button.dataset.action;
    if (action === "team-download" && downloads) {
      const file = downloads[button.dataset.format];
      saveFile(file.text, file.file_name, file.media_type);
      say(`Downloaded ${file.file_name}.`);
    } else if (action === "team-print") {
      window.print();
    } else if (action === "team-clear") {
      chosen = [];
      downloads = null;
      sequence++;
      result.removeAttribute("aria-busy");
      result.innerHTML = "<p>The combined result appears here once you choose your colleagues' files.</p>";
      compareResult.textContent = "";
      for (const b of downloadButtons) b.disabled = true;
      warn("");
      say("Started again: no files are chosen.");
    }
  });

  compareInput.addEventListener("change", async () => {
    const files = compareInput.files ? [...compareInput.files] : [];
    compareInput.value = "";
    if (files.length !== 2) {
      warn(`Choose exactly two files to compare (${files.length} ${files.length === 1 ? "was" : "were"} chosen).`);
      return;
    }
    const { read, problems } = await readAll(files);
    if (problems.length) {
      warn(problems.join(" "));
      return;
    }
    const response = await ask({ op: "team_compare", files: read });
    if (!form.isConnected) return;
    if (!response.ok) {
      warn(response.error);
      return;
    }
    compareResult.innerHTML = response.html; // built and escaped by Python
    warn("");
    say(response.summary);
  });

  say("Choose your colleagues' result files. They stay on this computer.");
}
