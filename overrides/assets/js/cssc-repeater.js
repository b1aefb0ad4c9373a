// Rows a reader can add, move and delete, for any tool form (first used by the user
// needs table). Generic: it knows nothing about a tool, only this markup:
//
//   <div data-repeater data-repeater-max="50" data-repeater-noun="user" data-repeater-nouns="users">
//     <div data-repeater-rows>
//       <fieldset data-repeater-row> …controls whose name/id hold the row's number…
//         <div data-repeater-actions hidden>
//           <button type="button" data-repeater-action="up|down|delete" aria-label="Move user 1 up">Up</button>
//         </div>
//       </fieldset>
//     </div>
//     <template data-repeater-template>one row, with "__n__" wherever its number goes</template>
//     <p data-repeater-controls hidden><button type="button" data-repeater-add>Add a user</button></p>
//   </div>
//
// JavaScript-off comes first: the page renders a fixed set of rows that work without
// this script, and the buttons stay hidden until it starts. A row is always its
// template with "__n__" replaced by the row's position (in every attribute and in every
// text-only element, such as the legend), so after each change the rows are numbered
// 1, 2, 3… again and answer names stay contiguous. Moving a row moves its element, so
// what was typed moves with it. After each change the form gets a `change` event, and
// the page's usual glue (cssc-tools.js) saves and scores the answers.
//
// A row added with the Add button also gets an identity (data-row-id, random), which
// the glue saves beside its answers (with a copy of them: see answersAsRecorded). Answer names stay positions, so the numbering the
// reader sees is always 1, 2, 3…; the identity tells, when another tab saves a row at
// the same position, whether it is this row (moved there) or another row added at the
// same time, which must not take this one's place (see keepRowsAddedHere below).

const PLACEHOLDER = "__n__";
const NUMBER = "([1-9][0-9]{0,5})";
// How long an action's announcement waits to be joined by the result's summary.
const ANNOUNCE_MS = 10000;

const repeaters = new WeakMap();

// Random, so that rows added in two tabs at the same moment never share one. Not
// crypto.randomUUID, which a site served over plain http (an intranet) does not have.
function newRowId() {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

class Repeater {
  constructor(container, form) {
    this.container = container;
    this.form = form;
    this.list = container.querySelector("[data-repeater-rows]");
    this.template = container.querySelector("template[data-repeater-template]");
    this.addButton = container.querySelector("[data-repeater-add]");
    this.status = form.querySelector("[data-status]");
    this.model = this.template?.content.firstElementChild;
    this.max = Number(container.dataset.repeaterMax) || Infinity;
    this.noun = container.dataset.repeaterNoun || "row";
    this.nouns = container.dataset.repeaterNouns || `${this.noun}s`;
    this.merging = null;
  }

  // Returns "" when the markup is complete, or what is missing.
  problem() {
    if (!this.list) return "no [data-repeater-rows]";
    if (!this.model || !this.model.matches("[data-repeater-row]")) return "no <template data-repeater-template> holding a [data-repeater-row]";
    if (!this.addButton) return "no [data-repeater-add] button";
    return "";
  }

  start() {
    // The rows the page was built with are the fewest it shows (its blank rows).
    this.minimum = this.rows().length;
    // Answer names of a row, as patterns: "row-__n__--user" -> /^row-([1-9]…)--user$/.
    this.patterns = [...this.model.querySelectorAll("[name]")]
      .map((control) => control.getAttribute("name"))
      .filter((name) => name.includes(PLACEHOLDER))
      .map((name) => new RegExp(`^${escapeRegExp(name).replace(PLACEHOLDER, NUMBER)}$`));
    // The row's answer names with "__n__", and what they share before it ("row-"): the
    // key its identity is saved under, with the row's number ("row-3").
    this.names = [...this.model.querySelectorAll("[name]")]
      .map((control) => control.getAttribute("name"))
      .filter((name) => name.includes(PLACEHOLDER));
    this.prefix = this.names.length ? this.names[0].split(PLACEHOLDER)[0] : "";
    for (const row of this.rows()) this.showActions(row);
    for (const controls of this.container.querySelectorAll("[data-repeater-controls]")) controls.hidden = false;
    this.container.classList.add("cssc-repeater--js");
    this.container.addEventListener("click", (event) => this.onClick(event));
    this.renumber();
  }

  rows() {
    return [...this.list.children].filter((element) => element.matches("[data-repeater-row]"));
  }

  name(number) {
    return `${this.noun} ${number}`;
  }

  showActions(row) {
    for (const actions of row.querySelectorAll("[data-repeater-actions]")) actions.hidden = false;
  }

  newRow() {
    const row = document.importNode(this.model, true);
    this.showActions(row);
    return row;
  }

  // Give a row the attributes and texts of the template for position `number`. The row
  // and its template have the same elements in the same order, so they are walked
  // side by side.
  number(row, number) {
    const pattern = [this.model, ...this.model.querySelectorAll("*")];
    const nodes = [row, ...row.querySelectorAll("*")];
    if (pattern.length !== nodes.length) {
      console.error("cssc-repeater: a row does not match its <template>, so it cannot be renumbered.");
      return;
    }
    const value = String(number);
    pattern.forEach((model, index) => {
      const node = nodes[index];
      for (const { name, value: template } of model.attributes) {
        if (template.includes(PLACEHOLDER)) node.setAttribute(name, template.replaceAll(PLACEHOLDER, value));
      }
      const textOnly = model.childElementCount === 0 && !model.matches("input, textarea, select");
      if (textOnly && model.textContent.includes(PLACEHOLDER)) {
        node.textContent = model.textContent.replaceAll(PLACEHOLDER, value);
      }
    });
  }

  renumber() {
    const rows = this.rows();
    rows.forEach((row, index) => {
      this.number(row, index + 1);
      // The first row cannot go up nor the last down. aria-disabled rather than
      // disabled keeps the button focusable, so focus is never lost after a move.
      setUnavailable(row.querySelector('[data-repeater-action="up"]'), index === 0);
      setUnavailable(row.querySelector('[data-repeater-action="down"]'), index === rows.length - 1);
    });
    setUnavailable(this.addButton, rows.length >= this.max);
  }


  // Make exactly as many rows as `answers` fill (at least the page's blank rows, at
  // most the maximum), before the answers are written into the form.
  prepare(answers) {
    let needed = 0;
    for (const name of Object.keys(answers && typeof answers === "object" ? answers : {})) {
      for (const pattern of this.patterns) {
        const match = pattern.exec(name);
        if (!match) continue;
        // A stored row beyond the maximum makes no row (Python would refuse it); being
        // owned (rowAnswerTest), its answers are dropped on the next save.
        if (Number(match[1]) <= this.max) needed = Math.max(needed, Number(match[1]));
      }
    }
    const target = Math.max(this.minimum, needed);
    const rows = this.rows();
    for (let count = rows.length; count < target; count++) this.list.append(this.newRow());
    for (const extra of rows.slice(target)) extra.remove();
    this.renumber();
  }

  onClick(event) {
    const button = event.target.closest("button");
    if (!button || !this.container.contains(button)) return;
    if (button === this.addButton) {
      this.add();
      return;
    }
    const row = button.closest("[data-repeater-row]");
    if (!row || row.parentElement !== this.list) return;
    const action = button.dataset.repeaterAction;
    if (action === "up") this.move(row, -1, button);
    else if (action === "down") this.move(row, 1, button);
    else if (action === "delete") this.remove(row);
  }

  add() {
    const count = this.rows().length;
    if (count >= this.max) {
      this.announce(`You can list up to ${this.max} ${this.nouns}. Delete one to add another.`);
      return;
    }
    const row = this.newRow();
    row.dataset.rowId = newRowId();
    this.list.append(row);
    this.renumber();
    focusFirstField(row) || this.addButton.focus();
    this.changed(`${capitalise(this.name(count + 1))} added.`);
  }

  move(row, step, button) {
    const rows = this.rows();
    const from = rows.indexOf(row);
    const to = from + step;
    if (to < 0 || to >= rows.length) {
      this.announce(`${capitalise(this.name(from + 1))} is already ${to < 0 ? "first" : "last"}.`);
      return;
    }
    // Move the neighbour, not the row: the focused button never leaves the page, so
    // focus stays on it (the moved row's same button) for the next press.
    if (step < 0) this.list.insertBefore(rows[to], row.nextSibling);
    else this.list.insertBefore(rows[to], row);
    this.renumber();
    button.focus();
    button.scrollIntoView({ block: "nearest" });
    this.changed(
      `${capitalise(this.name(from + 1))} moved ${step < 0 ? "up" : "down"}: it is now ${this.name(to + 1)}.`,
    );
  }

  remove(row) {
    const index = this.rows().indexOf(row);
    row.remove();
    this.renumber();
    const left = this.rows();
    // Focus the row that took its place, or the one before it, or the Add button.
    const next = left[index] || left[index - 1];
    if (!next || !focusFirstField(next)) this.addButton.focus();
    const remaining = `${left.length} ${left.length === 1 ? this.noun : this.nouns} left`;
    this.changed(`${capitalise(this.name(index + 1))} deleted; ${remaining}.`);
  }

  // Tell the page's glue that the answers changed (it saves and scores on `change`).
  changed(announcement) {
    this.announce(announcement);
    this.form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Say what happened in the form's status region. The result's summary replaces the
  // status text a moment later, so the announcement is kept in front of it:
  // "User 4 added. Result updated: 4 users listed…", read out once by screen readers.
  announce(text) {
    if (!this.status) return;
    this.stopMerging();
    this.status.textContent = text;
    const observer = new MutationObserver(() => {
      const now = this.status.textContent;
      if (now.startsWith(text)) return;
      this.stopMerging();
      this.status.textContent = `${text} ${now}`.trim();
    });
    observer.observe(this.status, { childList: true, characterData: true, subtree: true });
    this.merging = { observer, timer: window.setTimeout(() => this.stopMerging(), ANNOUNCE_MS) };
  }

  stopMerging() {
    if (!this.merging) return;
    this.merging.observer.disconnect();
    window.clearTimeout(this.merging.timer);
    this.merging = null;
  }
}

function setUnavailable(button, unavailable) {
  if (!button) return;
  if (unavailable) button.setAttribute("aria-disabled", "true");
  else button.removeAttribute("aria-disabled");
}

function focusFirstField(row) {
  const field = row.querySelector("input:not([type=hidden]), textarea, select");
  if (!field) return false;
  field.focus();
  return true;
}

// Start every [data-repeater] in the form (once each) and make rows for `answers`.
// Call before the stored answers are first written into the form.
export function startRepeaters(form, answers) {
  for (const container of form.querySelectorAll("[data-repeater]")) {
    if (repeaters.has(container)) continue;
    const repeater = new Repeater(container, form);
    const problem = repeater.problem();
    if (problem) {
      console.error(`cssc-repeater: the [data-repeater] in the form for "${form.dataset.tool}" has ${problem}.`);
      continue;
    }
    repeater.start();
    repeaters.set(container, repeater);
  }
  prepareRepeaters(form, answers);
}

// A test of whether an answer name is a row's in one of the form's repeaters, even a row
// no longer on the page. The form owns such names (cssc-tools.js drops stored answers it
// owns before saving what the page holds), so a deleted row's answers do not come back.
export function rowAnswerTest(form) {
  const patterns = [...form.querySelectorAll("[data-repeater]")].flatMap((container) => repeaters.get(container)?.patterns ?? []);
  return (name) => patterns.some((pattern) => pattern.test(name));
}

// Every row of the form's repeaters: {repeater, number, key ("row-3"), id ("" when it has
// none), names (its answer names now)}.
function rowsOf(form) {
  const out = [];
  for (const container of form.querySelectorAll("[data-repeater]")) {
    const repeater = repeaters.get(container);
    if (!repeater || !repeater.prefix) continue;
    repeater.rows().forEach((element, index) => {
      const number = index + 1;
      out.push({
        repeater,
        element,
        number,
        key: `${repeater.prefix}${number}`,
        id: element.dataset.rowId || "",
        names: repeater.names.map((name) => name.replaceAll(PLACEHOLDER, String(number))),
      });
    });
  }
  return out;
}

// {key: {id, answers}} of the rows that have an identity and at least one answer in
// `answers`, with those answers: what the glue saves beside the answers, after them.
export function rowRecords(form, answers) {
  const records = {};
  for (const row of rowsOf(form)) {
    if (!row.id || !row.names.some((name) => name in answers)) continue;
    const own = {};
    for (const name of row.names) if (name in answers) own[name] = answers[name];
    records[row.key] = { id: row.id, answers: own };
  }
  return records;
}

// Two tabs that save a row at the same position in the same instant can interleave
// their writes, one key at a time, so that the position holds one tab's row identity
// and the other's answers (a row's answers and its identity are several keys, and
// browser storage cannot write several at once). The row key, written whole after the
// answers, says what the answers of the row saved there were. Given the saved answers
// and rows' records ({key: {name: value}}), returns the answers with every such row as
// its record says, and the keys of the rows that were not.
export function answersAsRecorded(form, answers, records) {
  const fixed = { ...answers };
  const mixed = [];
  for (const container of form.querySelectorAll("[data-repeater]")) {
    const repeater = repeaters.get(container);
    if (!repeater || !repeater.prefix) continue;
    for (const [key, recorded] of Object.entries(records)) {
      const number = key.startsWith(repeater.prefix) ? key.slice(repeater.prefix.length) : "";
      if (!/^[1-9][0-9]*$/.test(number)) continue;
      const names = repeater.names.map((name) => name.replaceAll(PLACEHOLDER, number));
      const same = names.every((name) => JSON.stringify(fixed[name]) === JSON.stringify(recorded[name]));
      if (same) continue;
      for (const name of names) {
        if (name in recorded) fixed[name] = recorded[name];
        else delete fixed[name];
      }
      mixed.push(key);
    }
  }
  return { answers: fixed, mixed };
}

// Rows this tab holds that another tab's save would otherwise take the place of. Given
// the answers and row identities now saved (`saved`: {answers, ids, deleted: Set of the
// identities of rows deleted in any tab}) and the form's own values, returns the answers
// to show with this tab's rows kept, their identities by key, and how each kept row was
// renamed ({from: name, to: name}, for the field being typed in):
// - a row of this tab whose identity is saved at its position, or at another (another
//   tab moved it), or was deleted in another tab, is left to what is saved;
// - a row of this tab not saved yet keeps its place if nothing is saved there, and
//   otherwise (another tab added a row there at the same time, before either saw the
//   other's) goes after the last row, with everything typed in it.
export function keepRowsAddedHere(form, saved, values) {
  const answers = { ...saved.answers };
  const ids = { ...saved.ids };
  const known = new Set(Object.values(saved.ids));
  const renamed = {};
  const moved = [];
  const taken = (repeater, number) =>
    repeater.names.some((name) => name.replaceAll(PLACEHOLDER, String(number)) in answers) ||
    ids[`${repeater.prefix}${number}`] !== undefined;
  const carry = (row, number) => {
    row.repeater.names.forEach((name, index) => {
      const to = name.replaceAll(PLACEHOLDER, String(number));
      answers[to] = values[row.names[index]] ?? "";
      renamed[row.names[index]] = to;
    });
    ids[`${row.repeater.prefix}${number}`] = row.id;
  };
  const pending = [];
  for (const row of rowsOf(form)) {
    if (!row.id || known.has(row.id) || saved.deleted.has(row.id)) continue;
    if (!taken(row.repeater, row.number)) carry(row, row.number);
    else pending.push(row);
  }
  for (const row of pending) {
    const { repeater } = row;
    let last = 0;
    for (let number = 1; number <= repeater.max; number++) if (taken(repeater, number)) last = number;
    if (last + 1 > repeater.max) continue; // the table is full: left to what is saved
    carry(row, last + 1);
    moved.push(
      `Another tab added a ${repeater.noun} at the same moment as you: both are kept, and yours is now ${repeater.name(last + 1)}.`,
    );
  }
  return { answers, ids, renamed, moved };
}

// Give each row the identity saved for its position (none if there is none).
export function adoptRowIds(form, ids) {
  for (const row of rowsOf(form)) {
    if (ids[row.key]) row.element.dataset.rowId = ids[row.key];
    else delete row.element.dataset.rowId;
  }
}

// Make each repeater hold exactly the rows `answers` fill. Call before writeForm.
export function prepareRepeaters(form, answers) {
  for (const container of form.querySelectorAll("[data-repeater]")) {
    repeaters.get(container)?.prepare(answers);
  }
}
