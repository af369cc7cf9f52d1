// The docshift page: choose files and a conversion, upload with progress,
// follow the job until its result can be downloaded, and manage the jobs of
// the last 24 hours. One request runs at a time: user actions disable the
// controls until they finish, and status polls wait their turn.

import * as api from "./api.js";
import { checkFiles, describeFile, fits } from "./files.js";
import { language, preferredLanguage, setLanguage, t } from "./i18n.js";
import { applyTheme, storedTheme } from "./theme.js";
import {
  $, fillError, inputNames, isActive, renderChosenFiles,
  renderConversionSelect, renderCurrent, renderJobs, renderOptionFields,
  translateStatic,
} from "./view.js";

// Status changes show within about a second without flooding the server.
const pollMs = 700;
// After a failed poll: the server is probably restarting or overloaded.
const pollRetryMs = 3000;
const languageKey = "docshift.language";
// How often a page left open drops the jobs that have expired meanwhile.
const expiryCheckMs = 60_000;

const state = {
  catalog: null,       // GET /api/conversions
  catalogError: null,  // why the catalog could not be loaded
  chosen: [],          // { file, sniffed } per chosen file
  conversionId: null,
  optionValues: {},    // option name -> value as typed
  uploadError: null,   // why the last upload was refused
  busy: false,         // a user action's request is in flight
  upload: null,        // { names, percent } while uploading
  currentId: null,     // the job started from this tab
  jobs: [],            // GET /api/jobs, newest first
  historyError: null,  // why the job list could not be loaded or changed
};

// Runs requests one after another: a poll that is due while a delete is
// on its way waits for it.
let queue = Promise.resolve();
function exclusive(send) {
  const run = queue.then(send);
  queue = run.catch(() => {});
  return run;
}

function announce(text) {
  // Cleared first, so the same words twice are read twice.
  const region = $("announcer");
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

// ---- the form ------------------------------------------------------------

function conversions() {
  return state.catalog ? state.catalog.conversions : [];
}

function chosenConversion() {
  return conversions().find((c) => c.id === state.conversionId) || null;
}

// With files chosen, only the conversions that take all of them; when none
// does, every conversion stays listed and the refusal says what each takes.
function fittingConversions() {
  const fitting = conversions().filter((conversion) =>
    state.chosen.every((entry) => fits(conversion, entry)));
  return fitting.length > 0 ? fitting : conversions();
}

// Whether the conversion takes every chosen file and as many as there are.
function takesAll(conversion) {
  const count = state.chosen.length;
  return count >= (conversion.min_files ?? 1) &&
    count <= conversion.max_files &&
    state.chosen.every((entry) => fits(conversion, entry));
}

function defaultOptionValues(conversion) {
  const values = {};
  for (const option of conversion ? conversion.options : []) {
    values[option.name] = option.default ?? "";
  }
  return values;
}

function optionProblems(conversion) {
  const problems = [];
  for (const option of conversion.options) {
    if (option.type !== "integer") {
      continue;
    }
    const text = String(state.optionValues[option.name]).trim();
    const value = Number(text);
    const valid = /^-?\d+$/.test(text) &&
      (option.min === undefined || value >= option.min) &&
      (option.max === undefined || value <= option.max);
    if (!valid) {
      problems.push({ code: "bad_option", params: { name: option.name,
        value: text, min: option.min, max: option.max } });
    }
  }
  return problems;
}

function problems() {
  const conversion = chosenConversion();
  if (!conversion || state.chosen.length === 0) {
    return [];
  }
  return [
    ...checkFiles(conversion, state.chosen, state.catalog.max_upload_bytes),
    ...optionProblems(conversion),
  ];
}

function selectConversion(id) {
  if (id === state.conversionId) {
    return;
  }
  state.conversionId = id;
  state.optionValues = defaultOptionValues(chosenConversion());
  renderOptions();
}

function renderOptions() {
  renderOptionFields($("options"), $("option-fields"), chosenConversion(),
    state.optionValues, (option, value) => {
      state.optionValues[option.name] = value;
      state.uploadError = null;
      renderForm();
    });
}

function renderForm() {
  const fitting = fittingConversions();
  if (!fitting.some((c) => c.id === state.conversionId)) {
    selectConversion(fitting[0].id);
  }
  renderConversionSelect($("conversion"), fitting, state.conversionId);

  const current = chosenConversion();
  const input = $("file-input");
  input.accept = [...current.extensions.map((e) => `.${e}`),
    ...current.media_types].join(",");
  $("accepted").textContent = t("drop.accepts", {
    conversion: $("conversion").selectedOptions[0].textContent,
    extensions: current.extensions.map((e) => `.${e}`).join(", "),
    maxBytes: current.max_file_bytes,
    maxFiles: current.max_files,
  });

  renderChosenFiles($("chosen"), state.chosen, state.busy, removeFile);

  const found = problems();
  const box = $("problems");
  if (found.length > 0) {
    fillError(box, t("error.upload"), { problems: found });
  } else {
    fillError(box, t("error.upload"), state.uploadError);
  }

  // A conversion whose format option picks the output type (an image to
  // JPEG or WebP) names that type on the button.
  const output = state.optionValues.format ?? current.output.extension;
  const convert = $("convert");
  convert.textContent = state.busy && state.upload ? t("convert.uploading")
    : t("convert", { output: String(output).toUpperCase() });
  convert.disabled = state.busy || state.chosen.length === 0 ||
    found.length > 0;
  for (const control of [$("pick"), $("conversion"),
    ...$("option-fields").querySelectorAll("input, select")]) {
    control.disabled = state.busy;
  }
}

function renderCatalogStatus() {
  const status = $("catalog-status");
  status.hidden = state.catalog !== null;
  if (!state.catalogError) {
    status.replaceChildren(t("catalog.loading"));
    return;
  }
  const retry = document.createElement("button");
  retry.type = "button";
  retry.className = "button button--secondary";
  retry.textContent = t("catalog.retry");
  retry.addEventListener("click", () => loadCatalog().then(loadJobs));
  status.replaceChildren(`${t("catalog.failed")} `, retry);
}

function render() {
  // The server deletes expired jobs; the page stops showing them on its
  // own rather than offering downloads that would answer 404.
  const now = Date.now();
  state.jobs = state.jobs.filter((job) => Date.parse(job.expires_at) > now);
  renderCatalogStatus();
  if (state.catalog) {
    renderForm();
  }
  renderCurrent(state);
  fillError($("history-error"), t("error.request"), state.historyError);
  renderJobs($("jobs"), state.jobs, state.busy, removeJob);
}

async function chooseFiles(fileList) {
  if (state.busy) {
    announce(t("drop.busy"));
    return;
  }
  const files = [...fileList];
  if (files.length === 0 || !state.catalog) {
    return;
  }
  const added = await Promise.all(files.map(describeFile));
  // Conversions that take several files (merging PDFs) collect them from
  // several drops; the others start over with each choice.
  const conversion = chosenConversion();
  const collect = conversion.max_files > 1 &&
    added.every((entry) => fits(conversion, entry));
  state.chosen = collect ? [...state.chosen, ...added] : added;
  // When the conversion cannot take what is chosen now, one that can takes
  // over: two PDFs chosen together are most likely to be merged.
  if (!takesAll(conversion)) {
    const better = conversions().find(takesAll);
    if (better) {
      selectConversion(better.id);
    }
  }
  state.uploadError = null;
  render();
}

function removeFile(index) {
  state.chosen.splice(index, 1);
  state.uploadError = null;
  render();
  $(state.chosen.length > 0 ? "convert" : "pick").focus();
}

// ---- jobs ----------------------------------------------------------------

// Takes a fresh job list and announces the changes a person waits for.
function updateJobs(jobs) {
  const before = new Map(state.jobs.map((job) => [job.id, job.status]));
  for (const job of jobs) {
    const previous = before.get(job.id);
    if (previous && previous !== job.status) {
      announce(t("announce.status", { name: inputNames(job),
        status: t(`status.${job.status}`) }));
    }
  }
  state.jobs = jobs;
}

let pollTimer = null;

function schedulePoll(delay = pollMs) {
  if (pollTimer === null && state.jobs.some(isActive)) {
    pollTimer = window.setTimeout(poll, delay);
  }
}

async function poll() {
  pollTimer = null;
  if (state.busy) {
    // The user's own request goes first; its end schedules the next poll.
    return;
  }
  let delay = pollMs;
  try {
    updateJobs(await exclusive(api.listJobs));
    state.historyError = null;
  } catch (error) {
    state.historyError = error;
    delay = pollRetryMs;
  }
  render();
  schedulePoll(delay);
}

async function convert(event) {
  event.preventDefault();
  const conversion = chosenConversion();
  if (state.busy || state.chosen.length === 0 || problems().length > 0) {
    return;
  }
  const files = state.chosen.map((entry) => entry.file);
  state.busy = true;
  state.uploadError = null;
  state.upload = { names: files.map((f) => f.name).join(", "), percent: 0 };
  render();
  announce(t("upload.started", { name: state.upload.names }));

  const options = {};
  for (const option of conversion.options) {
    options[option.name] = String(state.optionValues[option.name]).trim();
  }
  try {
    const job = await exclusive(() => api.createJob(
      { conversion: conversion.id, options, files }, (share) => {
        state.upload.percent = Math.floor(share * 100);
        renderCurrent(state);
      }));
    state.chosen = [];
    state.currentId = job.id;
    state.jobs = [job, ...state.jobs.filter((j) => j.id !== job.id)];
    announce(t("announce.status", { name: inputNames(job),
      status: t(`status.${job.status}`) }));
  } catch (error) {
    state.uploadError = error;
  } finally {
    state.busy = false;
    state.upload = null;
    render();
    schedulePoll();
  }
}

async function removeJob(id) {
  const job = state.jobs.find((j) => j.id === id);
  if (state.busy || !job) {
    return;
  }
  const index = state.jobs.indexOf(job);
  state.busy = true;
  state.historyError = null;
  render();
  try {
    await exclusive(() => api.deleteJob(id));
    forgetJob(job, index);
  } catch (error) {
    if (error.code === "job_not_found") {
      // Already gone (expired or deleted in another tab): the list shows
      // what is true.
      forgetJob(job, index);
    } else {
      state.historyError = error;
    }
  } finally {
    state.busy = false;
    render();
    schedulePoll();
  }
}

function forgetJob(job, index) {
  state.jobs = state.jobs.filter((j) => j !== job);
  if (state.currentId === job.id) {
    state.currentId = null;
  }
  announce(t("announce.deleted", { name: inputNames(job) }));

  // Focus goes to the next job's delete button, else to the list heading.
  render();
  const next = $("jobs").children[Math.min(index, state.jobs.length - 1)];
  const target = next ? next.querySelector("button") : $("history-heading");
  target.focus();
}

// ---- start ---------------------------------------------------------------

async function loadCatalog() {
  state.catalogError = null;
  render();
  try {
    state.catalog = await exclusive(api.getCatalog);
  } catch (error) {
    state.catalogError = error;
    state.historyError = error;
    render();
    return;
  }
  $("convert-form").hidden = false;
  selectConversion(state.catalog.conversions[0].id);
  render();
}

async function loadJobs() {
  try {
    updateJobs(await exclusive(api.listJobs));
  } catch (error) {
    state.historyError = error;
  }
  render();
  schedulePoll();
}

function switchLanguage(lang) {
  setLanguage(lang);
  // An announcement in the old language must not linger for screen readers.
  $("announcer").textContent = "";
  localStorage.setItem(languageKey, lang);
  translateStatic();
  if (state.catalog) {
    renderOptions();
  }
  render();
}

// Files dropped anywhere on the page. dragenter and dragleave fire for
// every element crossed, so the overlay follows a counter.
function listenForDrops() {
  const overlay = $("drop-overlay");
  let depth = 0;
  const carriesFiles = (event) =>
    [...event.dataTransfer.types].includes("Files");

  document.addEventListener("dragenter", (event) => {
    if (carriesFiles(event)) {
      depth += 1;
      overlay.hidden = false;
    }
  });
  document.addEventListener("dragleave", (event) => {
    if (carriesFiles(event)) {
      depth = Math.max(0, depth - 1);
      overlay.hidden = depth === 0;
    }
  });
  document.addEventListener("dragover", (event) => {
    if (carriesFiles(event)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = state.busy ? "none" : "copy";
    }
  });
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
    chooseFiles(event.dataTransfer.files);
  });
}

function start() {
  const saved = localStorage.getItem(languageKey);
  setLanguage(saved || preferredLanguage(navigator.languages));
  $("language").value = language();
  translateStatic();

  const theme = storedTheme();
  applyTheme(theme);
  $("theme").value = theme;

  $("language").addEventListener("change", (e) =>
    switchLanguage(e.target.value));
  $("theme").addEventListener("change", (e) => applyTheme(e.target.value));
  $("pick").addEventListener("click", () => $("file-input").click());
  $("file-input").addEventListener("change", async (e) => {
    await chooseFiles(e.target.files);
    // Picking the same file again must fire another change.
    e.target.value = "";
  });
  $("conversion").addEventListener("change", (e) => {
    selectConversion(e.target.value);
    state.uploadError = null;
    render();
  });
  $("convert-form").addEventListener("submit", convert);
  $("current-close").addEventListener("click", () => {
    state.currentId = null;
    render();
    $("pick").focus();
  });
  listenForDrops();

  loadCatalog().then(loadJobs);
  window.setInterval(render, expiryCheckMs);
}

start();
