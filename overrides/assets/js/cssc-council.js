// The hosting council's details, read from council.json at the site's root (build/council.py).
// A council that deploys a release sets them there, without rebuilding. What the build wrote
// into the page stays as it is until the file has been read; a detail the file leaves empty
// hides its line and puts back the page's plain words, so nothing unset is ever shown as a
// placeholder. The hosting guide's check lists which details the deployed file sets.

const FILE = new URL("../../council.json", import.meta.url);
let details = null; // one read per visit: instant navigation keeps this module alive

function readDetails() {
  if (!details) {
    details = fetch(FILE, { cache: "no-cache" })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))))
      .then((data) => (data && typeof data === "object" && !Array.isArray(data) ? data : Promise.reject(new Error("not an object"))));
  }
  return details;
}

function text(value) {
  return typeof value === "string" ? value.replace(/\s+/g, " ").trim() : "";
}

function fill(data) {
  for (const item of document.querySelectorAll("[data-council-item]")) {
    item.hidden = !text(data[item.dataset.councilItem]);
  }
  for (const field of document.querySelectorAll("[data-council-field]")) {
    const value = text(data[field.dataset.councilField]);
    field.textContent = value || field.dataset.councilDefault || "";
    if (field.tagName === "A") {
      if (value) field.href = `mailto:${value}`;
      else field.removeAttribute("href");
    }
  }
  for (const block of document.querySelectorAll("[data-council-block]")) {
    const lines = block.querySelectorAll("[data-council-item]");
    if (lines.length && block.dataset.councilBlock !== "check") {
      block.hidden = [...lines].every((line) => line.hidden);
    }
  }
}

function check(data, problem) {
  const list = document.querySelector("[data-council-block='check']");
  if (!list) return;
  const rows = list.querySelectorAll("[data-council-check]");
  let missing = 0;
  for (const row of rows) {
    const set = !problem && Boolean(text(data[row.dataset.councilCheck]));
    if (!set) missing += 1;
    row.querySelector("[data-council-state]").textContent = set ? "set" : "not set";
  }
  const summary = list.querySelector("[data-council-summary]");
  summary.textContent = problem
    ? `The site's council.json could not be read (${problem}): the pages show only what was set when the site was built.`
    : missing
      ? `Read from the site's council.json: ${missing} of ${rows.length} details are not set, and their lines are left out of the pages.`
      : "Read from the site's council.json: every detail is set.";
}

export function showCouncil() {
  if (!document.querySelector("[data-council-item], [data-council-block]")) return;
  readDetails().then(
    (data) => {
      fill(data);
      check(data, "");
    },
    (error) => check({}, error.message || String(error)),
  );
}
