// From a chosen file to a downloaded result, against the real stack: the
// upload, the live status, the download, a failure LibreOffice reports,
// and the job list after a reload and a delete.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";

import {
  apiClient, brokenDocx, corpusDir, jobTimeoutMs, openPage, pdfText,
  pickFiles, screenshot, waitForStatus,
} from "./browser.mjs";

async function scratchDir(t) {
  const dir = await mkdtemp(path.join(tmpdir(), "docshift-e2e-files-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function jobsOf(page) {
  const response = await page.request.get("/api/jobs");
  assert.equal(response.status(), 200);
  return (await response.json()).jobs;
}

function sentence(message) {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

test("a .docx from the corpus becomes a downloadable PDF", async (t) => {
  const dir = await scratchDir(t);
  const browser = await openPage();
  t.after(() => browser.close());
  const { page } = browser;
  await screenshot(page, "empty");

  await pickFiles(page,
    path.join(corpusDir, "docx-footnotes.docx"));
  assert.equal(await page.locator("#chosen .chosen__name").innerText(),
    "docx-footnotes.docx");
  assert.equal(await page.locator("#conversion").inputValue(),
    "document_to_pdf");
  assert.equal(await page.locator("#convert").innerText(), "Convert to PDF");
  await screenshot(page, "file-chosen");

  // Every text the progress label takes, to see the upload's progress.
  await page.evaluate(() => {
    const label = document.getElementById("upload-label");
    window.progressSeen = [];
    new MutationObserver(() => window.progressSeen.push(label.textContent))
      .observe(label, { childList: true, characterData: true });
  });
  await page.click("#convert");
  await page.locator("#current-badge", { hasText: /^(Queued|Converting)$/ })
    .waitFor();
  await screenshot(page, "converting");
  const progress = await page.evaluate(() => window.progressSeen);
  assert.ok(progress.includes("Uploading: 100%"), progress.join(", "));
  assert.ok(progress.every((text) =>
    /^(Uploading: \d{1,3}%|Queued|Converting)$/.test(text)),
  progress.join(", "));
  await waitForStatus(page, "Done");
  assert.match(await page.locator("#current-text").innerText(),
    /^docx-footnotes\.pdf is ready \([\d.]+ KiB\)\.$/);
  await screenshot(page, "done");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click("#current-download"),
  ]);
  assert.equal(download.suggestedFilename(), "docx-footnotes.pdf");
  const saved = path.join(dir, "result.pdf");
  await download.saveAs(saved);
  assert.equal(readFileSync(saved).subarray(0, 5).toString(), "%PDF-");
  assert.match(pdfText(saved), /tachyon/);

  assert.equal(browser.posts.length, 1);
  assert.deepEqual(browser.cspErrors, []);
});

test("a file LibreOffice cannot convert shows the server's message",
  async (t) => {
    const dir = await scratchDir(t);
    const browser = await openPage();
    t.after(() => browser.close());
    const { page } = browser;

    await pickFiles(page, brokenDocx(dir));
    await page.click("#convert");
    await waitForStatus(page, "Failed");

    const [job] = await jobsOf(page);
    assert.equal(job.status, "failed");
    assert.equal(job.error.code, "conversion_failed");
    assert.equal(await page.locator("#current-error .problem__title")
      .innerText(), "The conversion failed");
    assert.equal(await page.locator("#current-error .problem__text")
      .innerText(), sentence(job.error.message));
    assert.equal(await page.locator("#current-error .problem__code")
      .innerText(), "Error code: conversion_failed");
    assert.equal(await page.locator("#current-download").isVisible(), false);
    assert.equal(await page.locator("#jobs .job__error").innerText(),
      sentence(job.error.message));
    await screenshot(page, "error");
  });

test("a second click during the upload sends nothing twice", async (t) => {
  const browser = await openPage();
  t.after(() => browser.close());
  const { page } = browser;

  // Holds the upload long enough to click again while it is in flight.
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route("**/api/jobs", async (route) => {
    if (route.request().method() === "POST") {
      await held;
    }
    await route.continue();
  });

  await pickFiles(page,
    path.join(corpusDir, "docx-odd-even-headers.docx"));
  await page.click("#convert");
  assert.equal(await page.locator("#convert").isDisabled(), true);
  assert.equal(await page.locator("#convert").innerText(), "Uploading…");
  assert.equal(await page.locator("#pick").isDisabled(), true);
  assert.equal(await page.locator("#conversion").isDisabled(), true);
  assert.match(await page.locator("#upload-label").innerText(),
    /^Uploading: \d{1,3}%$/);
  assert.equal(await page.locator("#current-badge").innerText(), "Uploading");
  await screenshot(page, "uploading");

  await page.locator("#convert").dblclick({ force: true });
  // Submitting the form by script bypasses the disabled button.
  await page.evaluate(() =>
    document.getElementById("convert-form").requestSubmit());
  release();

  await waitForStatus(page, "Done");
  assert.equal(browser.posts.length, 1);
  assert.equal((await jobsOf(page)).length, 1);
});

test("the job list survives a reload, and delete removes a job",
  async (t) => {
    const browser = await openPage({ timezoneId: "UTC" });
    t.after(() => browser.close());
    const { page } = browser;

    await pickFiles(page,
      path.join(corpusDir, "odt-annotations-sections.odt"));
    await page.click("#convert");
    await waitForStatus(page, "Done");
    await page.reload();

    const item = page.locator("#jobs .job");
    await item.first().waitFor();
    assert.equal(await item.count(), 1);
    const [job] = await jobsOf(page);
    assert.equal(Date.parse(job.expires_at) - Date.parse(job.created_at),
      24 * 3600 * 1000);
    const when = (iso) => new Intl.DateTimeFormat("en", {
      dateStyle: "medium", timeStyle: "short", timeZone: "UTC",
    }).format(new Date(iso));

    assert.equal(await item.locator(".job__name").innerText(),
      "odt-annotations-sections.odt → odt-annotations-sections.pdf");
    assert.equal(await item.locator(".badge").innerText(), "Done");
    assert.deepEqual(await item.locator(".job__time").allInnerTexts(), [
      `Started ${when(job.created_at)}`,
      `Deleted automatically ${when(job.expires_at)}`,
    ]);
    assert.equal(await item.locator("a").getAttribute("href"),
      `/api/jobs/${job.id}/download`);
    assert.equal(await page.locator("#current").isVisible(), false);

    await item.getByRole("button", { name:
      "Delete the conversion of odt-annotations-sections.odt" }).click();
    await page.locator("#history-empty").waitFor();
    assert.equal(await item.count(), 0);
    assert.equal(await page.locator("#history-empty").innerText(),
      "Nothing yet: your conversions will appear here.");
    assert.deepEqual(browser.deletes, [
      new URL(`/api/jobs/${job.id}`, page.url()).href,
    ]);
    assert.equal(await page.evaluate(() => document.activeElement.id),
      "history-heading");

    assert.deepEqual(await jobsOf(page), []);
    const gone = await page.request.get(`/api/jobs/${job.id}`);
    assert.equal(gone.status(), 404);
    assert.equal((await gone.json()).error.code, "job_not_found");
  });

test("statuses update without a reload within about a second",
  { timeout: jobTimeoutMs + 10_000 }, async (t) => {
    const browser = await openPage();
    t.after(() => browser.close());
    const { page } = browser;

    await pickFiles(page,
      path.join(corpusDir, "rtf-word-mac-3pages.rtf"));
    await page.click("#convert");
    await waitForStatus(page, "Done");

    // The worker's finish time against the moment the page showed it.
    const shownAt = Date.now();
    const [job] = (await (await page.request.get("/api/jobs")).json()).jobs;
    const lag = shownAt - Date.parse(job.finished_at);
    assert.ok(lag < 1500, `the page showed 'Done' ${lag} ms after the end`);
  });

test("a conversion's options come from the catalog and are sent",
  async (t) => {
    const api = await apiClient();
    t.after(() => api.dispose());
    const catalog = await (await api.get("/api/conversions")).json();
    const conversion = catalog.conversions.find((c) =>
      c.extensions.includes("pdf") &&
      c.options.some((o) => o.type === "integer") &&
      c.options.some((o) => o.type === "enum"));
    if (!conversion) {
      t.skip("no PDF conversion in the catalog takes both kinds of option");
      return;
    }
    const number = conversion.options.find((o) => o.type === "integer");
    const choice = conversion.options.find((o) => o.type === "enum");
    const pdf = path.join(corpusDir, "pdf-multipage-word2010.pdf");

    const browser = await openPage();
    t.after(() => browser.close());
    const { page } = browser;
    await pickFiles(page, pdf);
    await page.selectOption("#conversion", conversion.id);

    // One field per option, labelled and preset from the catalog.
    assert.deepEqual(await page.locator("#option-fields label")
      .allInnerTexts(), conversion.options.map((o) => o.label));
    const numberField = page.locator(`#option-${number.name}`);
    assert.equal(await numberField.inputValue(), String(number.default));
    assert.equal(await numberField.getAttribute("min"), String(number.min));
    assert.equal(await numberField.getAttribute("max"), String(number.max));
    const choiceField = page.locator(`#option-${choice.name}`);
    assert.equal(await choiceField.inputValue(), String(choice.default));
    assert.deepEqual(await choiceField.locator("option").evaluateAll(
      (options) => options.map((o) => o.value)), choice.values.map(String));

    // Out of range: refused here in the server's words.
    const tooSmall = String(number.min - 1);
    await numberField.fill(tooSmall);
    const refused = await api.post("/api/jobs", { multipart: {
      conversion: conversion.id, [number.name]: tooSmall,
      file: { name: "doc.pdf", mimeType: "application/pdf",
        buffer: readFileSync(pdf) },
    } });
    assert.equal(refused.status(), 422);
    const { error } = await refused.json();
    assert.equal(error.code, "bad_option");
    assert.deepEqual(await page.locator("#problems .problem__text")
      .allInnerTexts(), [sentence(error.message)]);
    assert.equal(await page.locator("#convert").isDisabled(), true);

    // In range: sent with the conversion, and the job runs.
    const other = String(choice.values.at(-1));
    await numberField.fill(String(number.min));
    await choiceField.selectOption(other);
    await screenshot(page, "options");
    await page.click("#convert");
    await page.locator("#current-badge", { hasText: /^(Done|Failed)$/ })
      .waitFor({ timeout: jobTimeoutMs });
    assert.equal(await page.locator("#current-badge").innerText(), "Done");
    assert.equal(browser.posts.length, 1);

    // The server took the values typed, not the defaults.
    const [job] = await jobsOf(page);
    assert.deepEqual(job.options, { [number.name]: String(number.min),
      [choice.name]: other });
  });

test("several PDFs chosen together go to a conversion taking them all",
  async (t) => {
    const api = await apiClient();
    t.after(() => api.dispose());
    const catalog = await (await api.get("/api/conversions")).json();
    const multi = catalog.conversions.find((c) =>
      c.extensions.includes("pdf") && c.max_files >= 2 &&
      (c.min_files ?? 1) <= 2);
    if (!multi) {
      t.skip("no conversion in the catalog takes two PDFs");
      return;
    }

    const browser = await openPage();
    t.after(() => browser.close());
    const { page } = browser;
    const names = ["pdf-multipage-word2010.pdf", "pdf-acroform-pdflatex.pdf"];
    await pickFiles(page,
      names.map((name) => path.join(corpusDir, name)));
    assert.equal(await page.locator("#conversion").inputValue(), multi.id);
    assert.deepEqual(await page.locator("#chosen .chosen__name")
      .allInnerTexts(), names);

    await page.click("#convert");
    await waitForStatus(page, "Done");
    const [job] = await jobsOf(page);
    assert.deepEqual(job.inputs.map((input) => input.name), names);
    assert.equal(browser.posts.length, 1);
  });
