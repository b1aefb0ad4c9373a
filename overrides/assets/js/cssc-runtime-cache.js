// A ready-made copy of the Python runtime, kept in this browser's IndexedDB so the
// next visit starts in a fraction of the time.
//
// Starting Python means setting up the interpreter and importing the `assessments`
// package: about a second. Pyodide can save its memory at that point (a "snapshot")
// and start from it later. The copy is taken before the page sends any request, so
// it never holds anything a reader typed. It is labelled with the Pyodide version and
// the wheel's hash, and used only by exactly that runtime: a new release of the guide
// makes a new copy. Any trouble (storage switched off or full, a damaged copy) only
// means starting the slow way.

const DATABASE = "cssc-guide-runtime";
const STORE = "snapshots";
const KEY = "python";

function openDatabase() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
    opening.onblocked = () => reject(new Error("runtime cache blocked"));
  });
}

function run(mode, work) {
  return openDatabase().then(
    (database) =>
      new Promise((resolve, reject) => {
        const transaction = database.transaction(STORE, mode);
        const request = work(transaction.objectStore(STORE));
        transaction.oncomplete = () => {
          database.close();
          resolve(request.result);
        };
        transaction.onerror = transaction.onabort = () => {
          database.close();
          reject(transaction.error);
        };
      }),
  );
}

// The copy is kept as a Blob, not as the bytes themselves: the browser then writes and
// reads its 30 MB away from the worker's thread, instead of copying them on it.

// The saved memory for this exact runtime (`label`), or null.
export async function savedRuntime(label) {
  try {
    const saved = await run("readonly", (store) => store.get(KEY));
    if (!saved || saved.label !== label || !(saved.memory instanceof Blob)) return null;
    return new Uint8Array(await saved.memory.arrayBuffer());
  } catch {
    return null;
  }
}

// Keeps one copy: a new label replaces the old one. Never fails.
export async function saveRuntime(label, memory) {
  try {
    await run("readwrite", (store) => store.put({ label, memory: new Blob([memory]) }, KEY));
  } catch {
    // Storage full or switched off: next time starts the slow way.
  }
}

export async function forgetRuntime() {
  try {
    await run("readwrite", (store) => store.delete(KEY));
  } catch {
    // Nothing stored, or storage switched off.
  }
}
