// "My project": every tool's answers saved in this browser, in one file, and the
// governance pack made from them.
//
// Started by cssc-tools.js on each [data-project] element, with its `ask` (a request to
// Python in the worker) and its storage prefix. This module only moves answers between
// browser storage, Python and files: Python builds the table of every tool, the project
// file, and what loading a file changes (and the question to ask before doing it).
//
// It reads and writes only the answers (cssc-storage.js) of the slugs the page lists in
// data-tools (rendered at build time from the Python registry of tools), and removes the
// results kept for a tool whose answers it replaces (cssc-kept-results.js). Loading a
// file writes every changed tool or none: if the browser refuses one write (storage
// full), the answers from before are put back and the reader is told. The table follows
// changes made on the tools' pages in other tabs.

import { readChosenFile, readerVoice, saveFile, storageIsFull } from "./cssc-files.js";
import { forgetResults } from "./cssc-kept-results.js";
import {
  clearAnswers,
  followOtherTabs,
  hasSaved,
  replaceAnswers,
  restoreTool,
  savedAnswers,
  savedVersion,
  snapshotTool,
} from "./cssc-storage.js";
import { saveWordOrWarn } from "./cssc-word.js";

// The project's name is not kept in browser storage (only the tools' keys are ours to
// write); this keeps it for the visit, across instant navigation between pages.
let rememberedTitle = "";

export function startProject(panel, ask) {
  if (panel.dataset.csscStarted) return;
  panel.dataset.csscStarted = "true";

  const status = panel.querySelector("[data-status]");
  const message = panel.querySelector("[data-message]");
  const summary = panel.querySelector("[data-project-summary]");
  const controls = panel.querySelector(".cssc-tool__controls");
  const titleInput = panel.querySelector("[data-project-title]");
  const downloadButton = panel.querySelector('[data-action="project-download"]');
  const fileInput = panel.querySelector('[data-action="project-load"]');
  const packButton = panel.querySelector('[data-action="pack-download"]');
  const printButton = panel.querySelector('[data-action="pack-print"]');
  const packView = panel.querySelector("[data-pack-view]");
  if (!status || !message || !summary || !controls || !titleInput || !downloadButton || !fileInput || !packButton ||
      !printButton || !packView) {
    console.error("cssc-project: the project panel is missing its status, message, summary, controls or pack view.");
    return;
  }
  const slugs = new Set((panel.dataset.tools || "").split(" ").filter(Boolean));
  const siteRoot = new URL(panel.dataset.siteRoot || "./", window.location.href).href;

  titleInput.value = rememberedTitle;
  titleInput.addEventListener("input", () => {
    rememberedTitle = titleInput.value;
  });

  panel.classList.add("cssc-tool--js");
  controls.hidden = false;
  panel.addEventListener("submit", (event) => event.preventDefault());

  const { say, warn } = readerVoice(status, message);

  // {slug: answers} for every listed tool that has something saved. Answers saved by an
  // earlier release are passed as they are (Python upgrades them), and a value that is
  // not JSON as its text, so Python can say that it cannot be read.
  function readAll() {
    const tools = {};
    for (const slug of slugs) if (hasSaved(slug)) tools[slug] = savedAnswers(slug);
    return tools;
  }

  // {slug: the version of the questions its answers were saved with (null: not recorded)},
  // so Python brings answers of an earlier release up to date through the one upgrade
  // path, as each tool's own page does, instead of finding them unreadable.
  function readVersions(tools) {
    return Object.fromEntries(Object.keys(tools).map((slug) => [slug, savedVersion(slug)]));
  }

  // Write {slug: answers} ({} clears a tool), each for the version of the questions in
  // `versions`. All or nothing: returns "" when every write succeeded, or a problem in
  // plain words after restoring what was there.
  function writeAll(changes, versions) {
    const entries = Object.entries(changes).filter(([slug]) => slugs.has(slug));
    const before = new Map(entries.map(([slug]) => [slug, snapshotTool(slug)]));
    try {
      for (const [slug, answers] of entries) {
        if (answers && Object.keys(answers).length) replaceAnswers(slug, answers, versions[slug] || null, "");
        else clearAnswers(slug);
      }
      for (const [slug] of entries) forgetResults(slug); // worked out from the answers replaced
      return "";
    } catch (error) {
      // Remove first, then put back: the old answers fitted together before.
      for (const slug of before.keys()) clearAnswers(slug);
      for (const [slug, snapshot] of before) restoreTool(slug, snapshot);
      return storageIsFull(error)
        ? "This browser's storage for this site is full, so the file was not loaded and nothing has been changed. Free some space (for example, clear answers you have already downloaded on a tool's page) and try again."
        : "This browser is not letting the site save answers (storage may be turned off), so the file was not loaded and nothing has been changed.";
    }
  }

  async function refresh(note) {
    const tools = readAll();
    const response = await ask({
      op: "project_summary",
      tools,
      versions: readVersions(tools),
      site_root: siteRoot,
      title: titleInput.value,
    });
    if (!panel.isConnected) return;
    if (!response.ok) {
      say("");
      warn(response.error);
      return;
    }
    summary.innerHTML = response.html; // built and escaped by Python
    say(note || response.summary);
  }

  downloadButton.addEventListener("click", async () => {
    const tools = readAll();
    const response = await ask({ op: "project_export", tools, versions: readVersions(tools), title: titleInput.value });
    if (!response.ok) {
      warn(response.error);
      return;
    }
    saveFile(response.text, response.file_name, "application/json");
    warn("");
    say(`Downloaded ${response.file_name}.`);
  });

  // The governance pack: Python builds one document from every tool's answers (brought up
  // to date first); the Word writer (cssc-word.js) makes the file, and the print view is
  // Python's HTML of the same document.
  async function askPack(view) {
    const tools = readAll();
    const response = await ask({ op: "project_pack", tools, versions: readVersions(tools), title: titleInput.value, view });
    if (!response.ok) warn(response.error);
    return response.ok ? response : null;
  }

  packButton.addEventListener("click", async () => {
    const response = await askPack("word");
    if (!response) return;
    const saved = await saveWordOrWarn(response, warn,
      "The governance pack could not be made in this browser. Nothing has changed: try again after reloading the page, or use the print view.");
    if (!saved) return;
    warn("");
    say(`Downloaded ${response.file_name}.`);
  });

  printButton.addEventListener("click", async () => {
    const response = await askPack("print");
    if (!response) return;
    packView.innerHTML = response.html; // built and escaped by Python
    packView.hidden = false;
    warn("");
    say("The governance pack is shown below the table, ready to print.");
    document.body.classList.add("cssc-printing-pack");
    window.addEventListener("afterprint", () => document.body.classList.remove("cssc-printing-pack"), { once: true });
    window.print();
  });

  fileInput.addEventListener("change", async () => {
    const file = fileInput.files && fileInput.files[0];
    fileInput.value = ""; // so choosing the same file again still loads it
    if (!file) return;
    const unchanged = "Nothing in this browser has been changed.";
    const { text, problem: unreadable } = await readChosenFile(file, Number(panel.dataset.maxProjectBytes), unchanged);
    if (unreadable) {
      warn(unreadable);
      return;
    }
    const mode = panel.querySelector('input[name="project-mode"]:checked')?.value || "replace";
    const current = readAll();
    const response = await ask({
      op: "project_import",
      text,
      current,
      versions: readVersions(current),
      mode,
      site_root: siteRoot,
    });
    if (!response.ok) {
      warn(`“${file.name}” was not loaded: ${response.error} ${unchanged}`);
      return;
    }
    const notes = (response.notes || []).join(" ");
    if (response.changed.length === 0) {
      warn("");
      say(`Read “${file.name}”. ${response.summary} ${notes}`.trim());
      return;
    }
    if (!window.confirm(response.confirm)) {
      say(`“${file.name}” was not loaded. ${unchanged}`);
      return;
    }
    const problem = writeAll(response.tools, response.versions || {});
    if (problem) {
      warn(`“${file.name}” was not loaded: ${problem}`);
      refresh();
      return;
    }
    warn("");
    if (response.title) titleInput.value = rememberedTitle = response.title;
    summary.innerHTML = response.html; // built and escaped by Python
    say(`Loaded “${file.name}”. ${response.summary} ${notes}`.trim());
  });

  // Answers changed on a tool's page in another tab: the table follows.
  let refreshTimer = 0;
  const stopFollowing = followOtherTabs(slugs, () => {
    if (!panel.isConnected) {
      stopFollowing();
      return;
    }
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(() => refresh(), 120);
  });

  say("Preparing… This page runs on this computer: nothing is sent anywhere.");
  refresh();
}
