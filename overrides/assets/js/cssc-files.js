// What the tool forms and the "My project" page share: telling the reader what happened,
// handing a download to the browser, reading a file the reader chose, and telling a full
// browser storage from one that is switched off.

// `say` puts text in the status line (read out politely by screen readers); `warn`
// shows a problem in the message box (read out at once), or hides the box when empty.
export function readerVoice(status, message) {
  return {
    say: (text) => {
      status.textContent = text;
    },
    warn: (text) => {
      message.textContent = text;
      message.classList.toggle("cssc-tool__message--shown", Boolean(text));
    },
  };
}

// A file read in steps (the data quality check, test and monitor): the progress bar and
// the status line say how far. `bySize` is false for a workbook, whose bytes read do not
// tell how far through its rows the reading is.
export function readingProgress(bar, status) {
  return {
    show(name, { rows, bytes, size }, bySize = true) {
      bar.hidden = false;
      if (size && bySize) bar.value = Math.min(1, bytes / size);
      else bar.removeAttribute("value");
      status.textContent = `Reading “${name}”: ${rows.toLocaleString("en-GB")} rows read…`;
    },
    hide() {
      bar.hidden = true;
    },
  };
}

// Start the download of `text` (a string or a Blob) as `fileName`, made here: nothing is
// sent anywhere.
export function saveFile(text, fileName, mediaType) {
  const url = URL.createObjectURL(new Blob([text], { type: mediaType }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The text of a chosen file, or a problem in plain words ending with `unchanged` (what
// was not touched): { text } or { problem }. Files over `maxBytes` are not read at all.
export async function readChosenFile(file, maxBytes, unchanged) {
  if (file.size > maxBytes) {
    return {
      problem: `“${file.name}” is too large (${(file.size / 1e6).toFixed(1)} MB) to be a file saved by this guide. ${unchanged}`,
    };
  }
  try {
    return { text: await file.text() };
  } catch {
    return { problem: `“${file.name}” could not be read. ${unchanged}` };
  }
}

// Whether a failed localStorage write means the site's storage is full (rather than off).
export function storageIsFull(error) {
  return Boolean(error && (error.name === "QuotaExceededError" || error.code === 22));
}
