// The page's Portuguese text covers every error code the README lists,
// for uploads refused by the server and for failed jobs alike: none falls
// back to the server's English words or to a text for its HTTP status.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { errorText, setLanguage } from "../../frontend/js/i18n.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url),
                            "utf8");

// Codes in the error table's last column, and in the paragraph on failed
// jobs, as the README writes them: `code`.
function documentedCodes() {
  const codes = new Set();
  for (const line of readme.split("\n")) {
    const row = line.match(/^\| (\d{3}(?:, \d{3})*) \|.*\| (.*) \|$/);
    if (row) {
      for (const [, code] of row[2].matchAll(/`([a-z_]+)`/g)) {
        codes.add(code);
      }
    }
  }
  const failed = readme.match(/A failed job carries[\s\S]*?\n\n/);
  assert.ok(failed, "the README's paragraph on failed jobs is missing");
  for (const [, code] of failed[0].matchAll(/`([a-z_]+)`/g)) {
    codes.add(code);
  }
  return codes;
}

test("every documented error code has its own Portuguese text", () => {
  const codes = documentedCodes();
  assert.ok(codes.size > 40, `only ${codes.size} codes found in the README`);

  setLanguage("pt-BR");
  const server = "words the server wrote in English";
  const withoutCode = errorText({ status: 400, code: "", serverMessage: "" });
  for (const code of codes) {
    const text = errorText({ status: 400, code, serverMessage: server });
    assert.notEqual(text, server, `'${code}' shows the server's English`);
    assert.notEqual(text, withoutCode, `'${code}' has no text of its own`);
  }
  setLanguage("en");
});
