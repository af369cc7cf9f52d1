// Files that cannot fit are refused before anything is sent, in the words
// the server uses for the same file; errors nobody can prevent (nginx's
// own, no answer at all, too many jobs) are explained in words.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";

import {
  apiClient, catalogEntry, corpusDir, openPage, pickFiles,
} from "./browser.mjs";

function sentence(message) {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

// What the server answers to the same file sent to the same conversion.
async function serverRefusal(conversion, file) {
  const api = await apiClient();
  try {
    const response = await api.post("/api/jobs", {
      multipart: { conversion, file },
    });
    return { status: response.status(), ...(await response.json()).error };
  } finally {
    await api.dispose();
  }
}

async function problemTexts(page) {
  return page.locator("#problems .problem__text").allInnerTexts();
}

// Trying every way to send: the disabled button, and submitting the form
// by script, which skips the button.
async function tryToSend(page) {
  await page.locator("#convert").click({ force: true });
  await page.evaluate(() =>
    document.getElementById("convert-form").requestSubmit());
  await page.waitForTimeout(300);
}

test("a PNG renamed .docx is refused before upload", async (t) => {
  const browser = await openPage();
  t.after(() => browser.close());
  const { page } = browser;
  const png = {
    name: "photo.docx",
    mimeType: "application/octet-stream",
    buffer: readFileSync(path.join(corpusDir, "png-16bit-rgb.png")),
  };

  await pickFiles(page, png);
  const server = await serverRefusal("document_to_pdf", png);
  assert.equal(server.status, 415);
  assert.equal(server.code, "type_mismatch");
  assert.equal(await page.locator("#problems .problem__title").innerText(),
    "The file was not sent");
  assert.deepEqual(await problemTexts(page), [sentence(server.message)]);
  assert.equal(await page.locator("#convert").isDisabled(), true);

  await tryToSend(page);
  assert.deepEqual(browser.posts, []);
});

test("a file with an extension no conversion takes is refused",
  async (t) => {
    const browser = await openPage();
    t.after(() => browser.close());
    const { page } = browser;
    const notes = { name: "notes.xyz", mimeType: "text/plain",
      buffer: Buffer.from("plain words\n") };

    await pickFiles(page, notes);
    const conversion = await page.locator("#conversion").inputValue();
    const server = await serverRefusal(conversion, notes);
    assert.equal(server.code, "unsupported_extension");
    assert.deepEqual(await problemTexts(page), [sentence(server.message)]);

    await tryToSend(page);
    assert.deepEqual(browser.posts, []);
  });

test("a file over the conversion's size limit is refused before upload",
  async (t) => {
    const dir = await mkdtemp(path.join(tmpdir(), "docshift-e2e-big-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const entry = await catalogEntry("document_to_pdf");
    assert.equal(entry.max_file_bytes, 50 * 1024 * 1024);

    // A sparse file: the size is what counts, and nothing reads it.
    const big = path.join(dir, "big.docx");
    const handle = await open(big, "w");
    await handle.truncate(entry.max_file_bytes + 1024 * 1024);
    await handle.close();

    const browser = await openPage();
    t.after(() => browser.close());
    const { page } = browser;
    await pickFiles(page, big);
    assert.deepEqual(await problemTexts(page), [
      "'big.docx' is 51 MiB; Document to PDF accepts files up to 50 MiB",
    ]);

    await tryToSend(page);
    assert.deepEqual(browser.posts, []);
  });

test("more files than the conversion takes are refused", async (t) => {
  const entry = await catalogEntry("document_to_pdf");
  assert.equal(entry.max_files, 1);
  const browser = await openPage();
  t.after(() => browser.close());
  const { page } = browser;

  await pickFiles(page, [
    path.join(corpusDir, "docx-footnotes.docx"),
    path.join(corpusDir, "docx-text-box.docx"),
  ]);
  assert.deepEqual(await page.locator("#chosen .chosen__name").allInnerTexts(),
    ["docx-footnotes.docx", "docx-text-box.docx"]);
  assert.deepEqual(await problemTexts(page), [
    "Document to PDF takes at most 1 file, and 2 were sent",
  ]);
  await tryToSend(page);
  assert.deepEqual(browser.posts, []);

  // Removing one makes the choice fit.
  await page.getByRole("button", { name: "Remove docx-text-box.docx" })
    .click();
  assert.deepEqual(await problemTexts(page), []);
  assert.equal(await page.locator("#convert").isEnabled(), true);
});

test("files dropped anywhere on the page are chosen", async (t) => {
  const browser = await openPage();
  t.after(() => browser.close());
  const { page } = browser;
  const bytes = readFileSync(path.join(corpusDir, "docx-footnotes.docx"));

  const dataTransfer = await page.evaluateHandle((base64) => {
    const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], "dropped.docx"));
    return transfer;
  }, bytes.toString("base64"));
  await page.dispatchEvent(".foot", "dragenter", { dataTransfer });
  assert.equal(await page.locator("#drop-overlay").isVisible(), true);
  await page.dispatchEvent(".foot", "drop", { dataTransfer });

  await page.locator("#chosen .chosen__name").waitFor();
  assert.equal(await page.locator("#drop-overlay").isVisible(), false);
  assert.deepEqual(await page.locator("#chosen .chosen__name").allInnerTexts(),
    ["dropped.docx"]);
  assert.deepEqual(await problemTexts(page), []);
  assert.equal(await page.locator("#convert").isEnabled(), true);
});

test("conversions are filtered to those taking the chosen file, and the " +
  "picker offers only their types", async (t) => {
  const api = await apiClient();
  const catalog = await (await api.get("/api/conversions")).json();
  await api.dispose();
  const browser = await openPage();
  t.after(() => browser.close());
  const { page } = browser;

  await pickFiles(page,
    path.join(corpusDir, "xlsx-merged-cells.xlsx"));
  const offered = await page.locator("#conversion option")
    .evaluateAll((options) => options.map((o) => o.value));
  const fitting = catalog.conversions
    .filter((c) => c.extensions.includes("xlsx")).map((c) => c.id);
  assert.ok(fitting.length > 0);
  assert.deepEqual(offered, fitting);

  const chosen = catalog.conversions.find((c) => c.id === offered[0]);
  assert.equal(await page.locator("#file-input").getAttribute("accept"),
    [...chosen.extensions.map((e) => `.${e}`), ...chosen.media_types]
      .join(","));
});

// nginx's own errors and the network cannot be provoked on demand against
// a healthy stack, so these answers are played by the browser itself.
async function refusedUpload(page, fulfil) {
  await page.route("**/api/jobs", (route) =>
    route.request().method() === "POST" ? fulfil(route) : route.continue());
  await pickFiles(page,
    path.join(corpusDir, "docx-footnotes.docx"));
  await page.click("#convert");
  await page.locator("#problems .problem__text").waitFor();
  return page.locator("#problems > p").allInnerTexts();
}

test("nginx's HTML error page reads as the service being away",
  async (t) => {
    const browser = await openPage();
    t.after(() => browser.close());
    const text = await refusedUpload(browser.page, (route) => route.fulfill({
      status: 502, contentType: "text/html",
      body: "<html><body>502 Bad Gateway</body></html>",
    }));
    assert.deepEqual(text, ["The file was not sent",
      "The conversion service is not answering right now. Try again in a " +
      "minute.", "Error code: unexpected_response"]);
  });

test("nginx's JSON 413 shows its message", async (t) => {
  const browser = await openPage();
  t.after(() => browser.close());
  const text = await refusedUpload(browser.page, (route) => route.fulfill({
    status: 413, contentType: "application/json",
    body: JSON.stringify({ error: { code: "request_too_large",
      message: "the upload is larger than the limit of 104857600 bytes" } }),
  }));
  assert.deepEqual(text, ["The file was not sent",
    "The upload is larger than the limit of 104857600 bytes",
    "Error code: request_too_large"]);
});

test("a 429 is explained in words, in Portuguese too", async (t) => {
  const browser = await openPage({ locale: "pt-BR" });
  t.after(() => browser.close());
  const text = await refusedUpload(browser.page, (route) => route.fulfill({
    status: 429, contentType: "application/json",
    body: JSON.stringify({ error: { code: "too_many_jobs",
      message: "you already have 5 conversions queued or running; wait " +
        "for one to finish, then try again" } }),
  }));
  assert.deepEqual(text, ["O arquivo não foi enviado",
    "Você já tem conversões na fila ou em andamento. Espere uma terminar e " +
    "tente de novo.", "Código do erro: too_many_jobs"]);
});

test("no answer at all says to check the connection", async (t) => {
  const browser = await openPage();
  t.after(() => browser.close());
  const text = await refusedUpload(browser.page,
    (route) => route.abort("connectionrefused"));
  assert.deepEqual(text, ["The file was not sent",
    "The server could not be reached. Check your connection and try again.",
    "Error code: network_error"]);
});
