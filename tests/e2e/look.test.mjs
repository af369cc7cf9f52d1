// How the page reads and looks: both languages with nothing left
// untranslated, the themes, a phone's width, the keyboard alone, and the
// Content-Security-Policy it runs under.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";

import {
  apiClient, brokenDocx, corpusDir, openPage, phone, pickFiles,
  screenshot, waitForStatus,
} from "./browser.mjs";

// Every text a person can see or hear, in document order: visible text
// nodes, the choices of every list, the names given to screen readers and
// the window title.
function readableTexts(page) {
  return page.evaluate(() => {
    const texts = [document.title];
    const walker = document.createTreeWalker(document.body,
      NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const parent = node.parentElement;
      const shown = parent.tagName === "OPTION" ||
        parent.checkVisibility({ visibilityProperty: true });
      // Announcements are passing events, cleared on a language switch.
      if (text && shown && parent.id !== "announcer") {
        texts.push(text);
      }
    }
    for (const node of document.querySelectorAll("[aria-label], [title]")) {
      if (node.checkVisibility()) {
        texts.push(node.getAttribute("aria-label") ?? node.title);
      }
    }
    return texts;
  });
}

// Words of the page's English that must never show in Portuguese.
const englishWords = new RegExp("\\b(" + [
  "the", "and", "your", "files?", "is", "to", "of", "convert",
  "conversions?", "download", "delete", "done", "failed", "queued", "theme",
  "language", "drop", "choose", "error", "deleted", "started", "options?",
  "light", "dark", "automatic", "accepts?",
].join("|") + ")\\b", "i");

test("Portuguese replaces every English text", async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), "docshift-e2e-lang-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const browser = await openPage();
  t.after(() => browser.close());
  const { page } = browser;

  // A page with something in every part: a done job, a failed one, and a
  // file refused before upload.
  await pickFiles(page,
    path.join(corpusDir, "docx-text-box.docx"));
  await page.click("#convert");
  await waitForStatus(page, "Done");
  await pickFiles(page, brokenDocx(dir));
  await page.click("#convert");
  await waitForStatus(page, "Failed");
  await pickFiles(page, { name: "notes.xyz",
    mimeType: "text/plain", buffer: Buffer.from("words\n") });
  await page.locator("#problems .problem__text").waitFor();

  const english = await readableTexts(page);
  await page.selectOption("#language", "pt-BR");
  const portuguese = await readableTexts(page);
  await screenshot(page, "pt-BR");

  assert.equal(await page.getAttribute("html", "lang"), "pt-BR");
  assert.equal(portuguese.length, english.length);
  const fileNames = /'?(docx-text-box\.(docx|pdf)|broken\.docx|notes\.xyz)'?/g;
  // Texts that read the same in both: the product, file names, languages
  // in their own words, sizes (Portuguese says bytes too), and symbols.
  const neutral = (text) => text === "docshift" || text === "English" ||
    text === "Português (Brasil)" ||
    /^[\d.,]+ (bytes?|KiB|MiB|GiB)$/.test(text) ||
    !/\p{L}/u.test(text.replace(fileNames, ""));
  portuguese.forEach((text, i) => {
    if (!neutral(text)) {
      assert.notEqual(text, english[i], `'${text}' is not translated`);
    }
    assert.doesNotMatch(text.replace(fileNames, ""), englishWords,
      `'${text}' has English in it`);
  });

  // The choice outlives a reload.
  await page.reload();
  await page.locator("#jobs .job").first().waitFor();
  assert.equal(await page.locator("h1").innerText(),
    "Converta um documento");
  assert.deepEqual(await page.locator("#jobs .badge").allInnerTexts(),
    ["Falhou", "Concluída"]);
  assert.equal(await page.locator("#jobs .job__error").first().innerText(),
    "O LibreOffice não conseguiu converter este arquivo. Ele pode estar " +
    "danificado, protegido por senha ou usar recursos que o LibreOffice " +
    "não suporta. Abra-o no programa original, salve de novo e tente " +
    "outra vez.");
});

test("a Portuguese browser gets the Portuguese page", async (t) => {
  const browser = await openPage({ locale: "pt-BR" });
  t.after(() => browser.close());
  const { page } = browser;
  assert.equal(await page.locator("#language").inputValue(), "pt-BR");
  assert.equal(await page.title(), "docshift: converta documentos");
  assert.equal(await page.locator("#pick").innerText(), "Escolher arquivos");
});

async function background(page) {
  return page.evaluate(() =>
    getComputedStyle(document.documentElement).backgroundColor);
}

test("dark and light themes follow the system and the toggle",
  async (t) => {
    const browser = await openPage({ colorScheme: "dark" });
    t.after(() => browser.close());
    const { page } = browser;
    assert.equal(await page.locator("#theme").inputValue(), "auto");
    assert.equal(await background(page), "rgb(15, 20, 32)");

    await pickFiles(page,
      path.join(corpusDir, "pptx-speaker-notes.pptx"));
    await page.click("#convert");
    await waitForStatus(page, "Done");
    await screenshot(page, "dark");

    await page.selectOption("#theme", "light");
    assert.equal(await background(page), "rgb(244, 246, 251)");
    await page.reload();
    await page.locator("#convert-form").waitFor();
    assert.equal(await page.locator("#theme").inputValue(), "light");
    assert.equal(await background(page), "rgb(244, 246, 251)");
    await page.selectOption("#theme", "dark");
    assert.equal(await background(page), "rgb(15, 20, 32)");
  });

test("at a phone's width nothing overflows", async (t) => {
  const browser = await openPage({ viewport: phone });
  t.after(() => browser.close());
  const { page } = browser;

  await pickFiles(page,
    path.join(corpusDir, "docx-tables-nested-merged.docx"));
  await page.click("#convert");
  await waitForStatus(page, "Done");
  await screenshot(page, "phone");
  assert.equal(await page.evaluate(() =>
    document.documentElement.scrollWidth), phone.width);
});

test("the keyboard alone converts a file, and status is announced",
  async (t) => {
    const browser = await openPage();
    t.after(() => browser.close());
    const { page } = browser;

    // Listening first turns on the interception of file dialogs.
    const chooserShown = page.waitForEvent("filechooser");
    const order = [];
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press("Tab");
      order.push(await page.evaluate(() => document.activeElement.id ||
        document.activeElement.className));
    }
    assert.deepEqual(order, ["skip-link", "language", "theme", "pick"]);

    await page.keyboard.press("Enter");
    const chooser = await chooserShown;
    await chooser.setFiles(path.join(corpusDir, "docx-footnotes.docx"));
    await page.locator("#chosen .chosen__name").waitFor();

    // Past the remove button and the conversion to the button that sends.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id),
      "convert");
    await page.keyboard.press("Enter");
    await waitForStatus(page, "Done");
    await page.locator("#announcer", { hasText: "docx-footnotes.docx: Done" })
      .waitFor();
  });

test("the page is served under a strict Content-Security-Policy",
  async (t) => {
    const api = await apiClient();
    t.after(() => api.dispose());
    const response = await api.get("/");
    const headers = response.headers();
    assert.equal(headers["content-security-policy"],
      "default-src 'self'; script-src 'self'; style-src 'self'; " +
      "img-src 'self' data:; connect-src 'self'; object-src 'none'; " +
      "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
    assert.equal(headers["x-content-type-options"], "nosniff");
    assert.equal(headers["referrer-policy"], "no-referrer");

    const html = await response.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/);
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/);

    // The page works under it: it rendered the catalog, and the browser
    // reported no violation.
    const browser = await openPage();
    t.after(() => browser.close());
    assert.ok(await browser.page.locator("#conversion option").count() > 0);
    assert.deepEqual(browser.cspErrors, []);
  });
