// Keeping a reader's answers: the browser is asked to keep this site's storage, and the
// reader is told what this browser will do with answers saved here.
//
// - On the visit's first saved answer, navigator.storage.persist() is called where the
//   browser offers it (and the storage is not persistent already). Chromium decides at
//   once from how the site is used; Firefox may ask the reader; WebKitGTK offers no
//   StorageManager at all.
// - The note beside the save status (tool-frame.html, [data-keep-notice]) then says:
//     nothing, where the storage is persistent (granted);
//     "may delete", where the engine is known to delete it: WebKit (Safari, and every
//       browser on an iPhone or iPad) removes a site's script-writable storage after 7
//       days of browser use without a visit to the site (its tracking prevention);
//     otherwise one quiet line, that the answers live only in this browser.
//   A private window keeps answers only for the session, but browsers deliberately give
//   a page no reliable sign of one, so no guess is made: the quiet line still names
//   Download JSON and the project file.
// - Shown once answers are saved; dismissed, it stays hidden for the rest of the visit
//   (sessionStorage, which lasts as long as the tab).

const DISMISSED_KEY = "cssc-guide:v2:keep-notice-dismissed";

const notices = new Set();
let asked = null; // the persist() request, once made in this visit
let granted = false;

// Safari's engine: every browser on iOS and iPadOS, and Safari on a Mac. Chromium-based
// browsers also name AppleWebKit in their user agent, followed by Chrome/.
export function isWebKit(userAgent = navigator.userAgent) {
  return /AppleWebKit\//.test(userAgent) && !/(Chrome|Chromium)\//.test(userAgent);
}

async function persisted() {
  try {
    return Boolean(await navigator.storage?.persisted?.());
  } catch {
    return false;
  }
}

function dismissed() {
  try {
    return sessionStorage.getItem(DISMISSED_KEY) === "yes";
  } catch {
    return false;
  }
}

// Which note applies here: "" (none), "may-delete" or "this-browser".
async function noteCase() {
  if (granted || (await persisted())) {
    granted = true;
    return "";
  }
  return isWebKit() ? "may-delete" : "this-browser";
}

async function refresh() {
  const which = await noteCase();
  for (const notice of notices) {
    if (!notice.isConnected) {
      notices.delete(notice);
      continue;
    }
    if (!notice.dataset.keepShown) continue; // nothing saved from this form yet
    for (const line of notice.querySelectorAll("[data-keep-case]")) line.hidden = line.dataset.keepCase !== which;
    notice.classList.toggle("cssc-keep--warning", which === "may-delete");
    notice.dataset.keepCase = which;
    notice.hidden = !which || dismissed();
  }
}

function dismiss(notice, form) {
  try {
    sessionStorage.setItem(DISMISSED_KEY, "yes");
  } catch {
    // storage off: hidden on this page all the same
  }
  const hadFocus = notice.contains(document.activeElement);
  for (const each of notices) each.hidden = true;
  // The keyboard's place is not lost with the button: it goes to the first remedy.
  if (hadFocus) form.querySelector('[data-action="download"]')?.focus();
}

// Ask, once per visit, for storage the browser will not clear on its own. A grant (now
// or later, when the reader answers the browser's own question) hides the note.
function askToKeep() {
  if (asked) return asked;
  asked = (async () => {
    if (!navigator.storage?.persist || (await persisted())) return;
    try {
      granted = Boolean(await navigator.storage.persist());
    } catch {
      granted = false;
    }
    if (granted) refresh();
  })();
  return asked;
}

// How long the note waits for the browser's answer before it shows: Chromium answers at
// once, so a note it would hide is never shown; Firefox may be waiting on the reader.
const ANSWER_WAIT_MS = 1000;

// Start the note of one tool form. `hasSaved`: answers are already saved for this tool,
// so what happens to them applies now. Returns `saved()`, to call after each answer is
// written to storage.
export function startKeepNotice(form, hasSaved) {
  const notice = form.querySelector("[data-keep-notice]");
  if (!notice) return () => {};
  notices.add(notice);
  notice.querySelector('[data-action="dismiss-keep-notice"]')?.addEventListener("click", () => dismiss(notice, form));
  notice.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      dismiss(notice, form);
    }
  });
  const show = () => {
    if (notice.dataset.keepShown) return;
    notice.dataset.keepShown = "yes";
    refresh();
  };
  if (hasSaved) show();
  return () => {
    if (notice.dataset.keepShown) return;
    Promise.race([askToKeep(), new Promise((resolve) => window.setTimeout(resolve, ANSWER_WAIT_MS))]).then(show);
  };
}
