// What the page knows about the user's files before sending them: names,
// sizes and the first bytes. The checks mirror the server's own, in the same
// order and with the same error codes, so a file refused here would have
// been refused there with the same words.

// 312 bytes, 1.5 KiB, 50 MiB: rounded up to one decimal, so a file just over
// a limit never reads as equal to it. The server writes sizes this way; the
// caller formats the number for the page's language.
export function humanSize(bytes) {
  const units = ["KiB", "MiB", "GiB", "TiB"];
  if (bytes < 1024) {
    return { value: bytes, unit: bytes === 1 ? "byte" : "bytes" };
  }
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit + 1 < units.length) {
    value /= 1024;
    unit += 1;
  }
  return { value: Math.ceil(value * 10) / 10, unit: units[unit] };
}

// The lowercase extension of a file name, "" when it has none. A leading
// dot marks a hidden file, not an extension.
export function fileExtension(name) {
  const base = name.slice(Math.max(name.lastIndexOf("/"),
    name.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  return dot <= 0 ? "" : base.slice(dot + 1).toLowerCase();
}

// Only formats that are never office documents: a file identified as one of
// these under another extension is certainly the wrong file. Everything
// subtler (a .docx that is really an .xlsx) is left to the server, which
// opens the container.
const signatures = [
  { kind: "png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    extensions: ["png"] },
  { kind: "jpeg", bytes: [0xff, 0xd8, 0xff],
    extensions: ["jpg", "jpeg", "jpe", "jfif"] },
  { kind: "gif", bytes: [0x47, 0x49, 0x46, 0x38], extensions: ["gif"] },
  { kind: "tiff", bytes: [0x49, 0x49, 0x2a, 0x00],
    extensions: ["tif", "tiff"] },
  { kind: "tiff", bytes: [0x4d, 0x4d, 0x00, 0x2a],
    extensions: ["tif", "tiff"] },
  { kind: "pdf", bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], extensions: ["pdf"] },
];

function startsWith(head, bytes) {
  return bytes.every((byte, i) => head[i] === byte);
}

function isWebp(head) {
  const ascii = (from, to) => String.fromCharCode(...head.slice(from, to));
  return ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP";
}

// Reads the first bytes of a file and names its kind when it is one of the
// formats above; null otherwise.
export async function sniffKind(file) {
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  if (isWebp(head)) {
    return { kind: "webp", extensions: ["webp"] };
  }
  const found = signatures.find((s) => startsWith(head, s.bytes));
  return found ? { kind: found.kind, extensions: found.extensions } : null;
}

// A chosen file: the File itself and what sniffing found.
export async function describeFile(file) {
  return { file, sniffed: await sniffKind(file) };
}

export function fits(conversion, chosen) {
  return conversion.extensions.includes(fileExtension(chosen.file.name));
}

// The problems that keep the chosen files from being sent, as
// { code, params } in the order the server would report them.
export function checkFiles(conversion, chosen, maxUploadBytes) {
  const count = chosen.length;
  const minFiles = conversion.min_files ?? 1;
  if (count < minFiles) {
    return [{ code: "too_few_files",
      params: { conversion, min: minFiles, count } }];
  }
  if (count > conversion.max_files) {
    return [{ code: "too_many_files",
      params: { conversion, max: conversion.max_files, count } }];
  }

  const problems = [];
  for (const entry of chosen) {
    const problem = checkFile(conversion, entry);
    if (problem) {
      problems.push(problem);
    }
  }

  const total = chosen.reduce((sum, entry) => sum + entry.file.size, 0);
  if (problems.length === 0 && total > maxUploadBytes) {
    problems.push({ code: "request_too_large",
      params: { limit: maxUploadBytes } });
  }
  return problems;
}

function checkFile(conversion, { file, sniffed }) {
  const name = file.name;
  const extension = fileExtension(name);
  if (!conversion.extensions.includes(extension)) {
    return { code: "unsupported_extension",
      params: { name, extension, conversion } };
  }
  if (file.size === 0) {
    return { code: "empty_file", params: { name } };
  }
  if (file.size > conversion.max_file_bytes) {
    return { code: "file_too_large", params: { name, size: file.size,
      limit: conversion.max_file_bytes, conversion } };
  }
  // A PNG named .jpg is fine for a conversion that takes both kinds: the
  // server matches content against every format the conversion accepts.
  const accepted = (e) => conversion.extensions.includes(e);
  if (sniffed && !sniffed.extensions.some(accepted)) {
    return { code: "type_mismatch",
      params: { name, extension, kind: sniffed.kind, conversion } };
  }
  return null;
}
