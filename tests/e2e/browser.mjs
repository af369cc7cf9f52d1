// Shared by the browser tests: starts Debian's chromium with a fresh
// profile (so every test is a new anonymous client), records what the page
// sends, and knows where the stack, the corpus and the screenshots are.

import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium, request } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));

export const baseUrl = process.env.DOCSHIFT_URL;
if (!baseUrl) {
  throw new Error("set DOCSHIFT_URL to the address of a running stack");
}
export const corpusDir = process.env.DOCSHIFT_CORPUS_DIR ??
  path.resolve(here, "../../../shared/corpus/real");
export const screenshotsDir = path.resolve(here, "../../docs/screenshots");

export const phone = { width: 390, height: 844 };
export const desktop = { width: 1280, height: 900 };

// A conversion can queue behind other tests' jobs on a two-core machine.
export const jobTimeoutMs = 90_000;

// Opens the page in a new browser with its own profile. `posts` and
// `deletes` list the job requests the page made; `cspErrors` every
// Content-Security-Policy complaint on the console.
export async function openPage({ locale = "en-US", viewport = desktop,
  colorScheme = "light", timezoneId = "UTC" } = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), "docshift-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    baseURL: baseUrl,
    locale,
    viewport,
    colorScheme,
    timezoneId,
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? await context.newPage();

  const seen = { posts: [], deletes: [], cspErrors: [] };
  page.on("request", (req) => {
    if (req.url().includes("/api/jobs") && req.method() === "POST") {
      seen.posts.push(req.url());
    }
    if (req.method() === "DELETE") {
      seen.deletes.push(req.url());
    }
  });
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) {
      seen.cspErrors.push(message.text());
    }
  });

  await page.goto("/");
  await page.locator("#convert-form").waitFor();
  return {
    page,
    context,
    ...seen,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

// An HTTP client outside the browser, for asking the API what it would
// say; its requests never show up among the page's.
export async function apiClient() {
  return request.newContext({ baseURL: baseUrl });
}

export async function catalogEntry(id) {
  const api = await apiClient();
  const body = await (await api.get("/api/conversions")).json();
  await api.dispose();
  const entry = body.conversions.find((c) => c.id === id);
  if (!entry) {
    throw new Error(`the catalog has no conversion '${id}'`);
  }
  return entry;
}

export function screenshot(page, name) {
  return page.screenshot({ path: path.join(screenshotsDir, `${name}.png`),
    fullPage: true });
}

// Chooses files with the page's file input and waits until the page lists
// them: the page reads each file's first bytes before it shows the file and
// picks a conversion for it, so nothing can be asserted before that.
export async function pickFiles(page, files) {
  const list = Array.isArray(files) ? files : [files];
  const names = list.map((file) =>
    typeof file === "string" ? path.basename(file) : file.name);
  await page.setInputFiles("#file-input", files);
  await page.waitForFunction((expected) => {
    const shown = [...document.querySelectorAll("#chosen .chosen__name")]
      .map((item) => item.textContent);
    return JSON.stringify(shown.slice(-expected.length)) ===
      JSON.stringify(expected);
  }, names);
}

// The status badge of the job started from this page.
export function currentStatus(page) {
  return page.locator("#current-badge");
}

export async function waitForStatus(page, text) {
  await page.locator("#current-badge", { hasText: text })
    .waitFor({ timeout: jobTimeoutMs });
}

// A .docx that passes every check before the conversion (a zip holding
// [Content_Types].xml and word/document.xml) but whose document part is
// not XML, so LibreOffice fails on it.
export function brokenDocx(dir) {
  const file = path.join(dir, "broken.docx");
  execFileSync("python3", ["-c", `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("word/document.xml", "this is not xml <<<")
`, file]);
  return file;
}

export function pdfText(file) {
  return execFileSync("pdftotext", ["-q", file, "-"]).toString();
}
