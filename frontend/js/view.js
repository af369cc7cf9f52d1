// Builds and updates the page's DOM from the application state. Elements
// that can hold focus (buttons in the job list, the option fields) are
// updated in place rather than rebuilt, so a keyboard user's focus survives
// the status updates that arrive every second.

import { downloadUrl } from "./api.js";
import {
  conversionLabel, errorText, formatSize, language, optionLabel,
  optionValueLabel, problemText, t,
} from "./i18n.js";

export const $ = (id) => document.getElementById(id);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

export function inputNames(job) {
  return job.inputs.map((input) => input.name).join(", ");
}

// A failed job's error in the shape errorText takes for the API's errors.
function jobError(job) {
  return { status: null, code: job.error.code,
    serverMessage: job.error.message };
}

export function isActive(job) {
  return job.status === "queued" || job.status === "running";
}

// The static texts marked with data-i18n in the HTML.
export function translateStatic() {
  document.documentElement.lang = language();
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.dataset.i18n);
  }
}

// True when `node` already shows what `key` describes; remembers the key
// otherwise. Rebuilding a list under the reader's focus, or under an open
// drop-down, on every status poll would throw them out of it.
function unchanged(node, key) {
  if (node.dataset.shows === key) {
    return true;
  }
  node.dataset.shows = key;
  return false;
}

// Fills an error box: a heading saying what failed, the text saying why
// and what to do, and the code for whoever has to look into it. The box is
// an alert, so it is only touched when its words change: a screen reader
// would read it again on every status poll.
export function fillError(box, heading, error) {
  const lines = [];
  if (error && error.problems) {
    lines.push(...error.problems.map((problem) =>
      ["problem__text", capitalize(problemText(problem))]));
  } else if (error) {
    lines.push(["problem__text", capitalize(errorText(error))],
      ["problem__code", t("error.code", { code: error.code })]);
  }
  if (lines.length > 0) {
    lines.unshift(["problem__title", heading]);
  }
  if (unchanged(box, JSON.stringify(lines))) {
    return;
  }
  box.replaceChildren(...lines.map(([className, text]) =>
    element("p", className, text)));
  box.hidden = lines.length === 0;
}

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function renderConversionSelect(select, conversions, chosenId) {
  const key = [language(), ...conversions.map((c) => c.id)].join(" ");
  if (unchanged(select, key)) {
    select.value = chosenId;
    return;
  }
  select.replaceChildren(...conversions.map((conversion) => {
    const option = element("option", "", conversionLabel(conversion));
    option.value = conversion.id;
    return option;
  }));
  select.value = chosenId;
}

// One field per option of the conversion, from its catalog entry.
export function renderOptionFields(fieldset, container, conversion, values,
  onChange) {
  container.replaceChildren();
  const options = conversion ? conversion.options : [];
  fieldset.hidden = options.length === 0;

  for (const option of options) {
    const id = `option-${option.name}`;
    const field = element("div", "field");
    const label = element("label", "", optionLabel(option));
    label.htmlFor = id;

    let input;
    if (option.type === "enum") {
      input = element("select");
      for (const allowed of option.values || []) {
        const value = typeof allowed === "object" ? allowed.value : allowed;
        const choice = element("option", "", optionValueLabel(option, value));
        choice.value = String(value);
        input.append(choice);
      }
    } else {
      input = element("input");
      input.type = "number";
      input.inputMode = "numeric";
      input.step = "1";
      if (option.min !== undefined) {
        input.min = String(option.min);
      }
      if (option.max !== undefined) {
        input.max = String(option.max);
      }
    }
    input.id = id;
    input.name = option.name;
    input.value = String(values[option.name]);
    input.addEventListener("input", () => onChange(option, input.value));
    field.append(label, input);
    container.append(field);
  }
}

export function renderChosenFiles(list, chosen, disabled, onRemove) {
  const key = JSON.stringify([language(), disabled,
    ...chosen.map((entry) => [entry.file.name, entry.file.size])]);
  if (unchanged(list, key)) {
    return;
  }
  list.replaceChildren(...chosen.map((entry, index) => {
    const item = element("li", "chosen__item");
    const name = element("span", "chosen__name", entry.file.name);
    const size = element("span", "chosen__size", formatSize(entry.file.size));
    const remove = element("button", "icon-button", "×");
    remove.type = "button";
    remove.disabled = disabled;
    remove.setAttribute("aria-label", t("chosen.remove",
      { name: entry.file.name }));
    remove.title = remove.getAttribute("aria-label");
    remove.addEventListener("click", () => onRemove(index));
    item.append(name, size, remove);
    return item;
  }));
  list.hidden = chosen.length === 0;
}

function statusBadge(badge, status) {
  badge.textContent = t(`status.${status}`);
  badge.className = `badge badge--${status}`;
}

// The job started from this tab, from upload to download.
export function renderCurrent(state) {
  const section = $("current");
  const job = state.jobs.find((j) => j.id === state.currentId);
  const uploading = state.upload;
  section.hidden = !uploading && !job;
  if (section.hidden) {
    return;
  }

  const bar = $("upload-bar");
  const label = $("upload-label");
  const text = $("current-text");
  const download = $("current-download");
  $("current-name").textContent = uploading ? uploading.names
    : inputNames(job);
  statusBadge($("current-badge"), uploading ? "uploading" : job.status);

  $("upload").hidden = !uploading && !isActive(job);
  if (uploading) {
    bar.value = uploading.percent;
    label.textContent = t("upload.progress", { percent: uploading.percent });
  } else if (isActive(job)) {
    // Indeterminate: nobody knows how long LibreOffice will take.
    bar.removeAttribute("value");
    label.textContent = t(`status.${job.status}`);
  }

  text.textContent = uploading ? ""
    : job.status === "succeeded"
      ? t("current.succeeded", { name: job.output.name,
        size: job.output.size })
      : t(`current.${job.status}`);
  text.hidden = text.textContent === "";

  fillError($("current-error"), t("error.job"),
    job && job.status === "failed" ? jobError(job) : null);

  download.hidden = !job || job.status !== "succeeded";
  if (!download.hidden) {
    download.href = downloadUrl(job.id);
    download.textContent = t("current.download", { name: job.output.name });
  }
  $("current-close").hidden = !job || isActive(job);
}

function jobItem(onDelete) {
  const item = element("li", "job");
  const main = element("div", "job__main");
  const name = element("p", "job__name");
  const meta = element("p", "job__meta");
  const badge = element("span", "badge");
  const created = element("span", "job__time");
  const expires = element("span", "job__time");
  meta.append(badge, created, expires);
  const error = element("p", "job__error");
  main.append(name, meta, error);

  const actions = element("div", "job__actions");
  const download = element("a", "button button--secondary button--small");
  const remove = element("button", "button button--ghost button--small");
  remove.type = "button";
  remove.addEventListener("click", () => onDelete(item.dataset.id));
  actions.append(download, remove);
  item.append(main, actions);
  return item;
}

function updateJobItem(item, job, busy) {
  const [main, actions] = item.children;
  const [name, meta, error] = main.children;
  const [badge, created, expires] = meta.children;
  const [download, remove] = actions.children;
  const names = inputNames(job);

  item.dataset.id = job.id;
  name.textContent = job.output ? `${names} → ${job.output.name}` : names;
  statusBadge(badge, job.status);
  created.textContent = t("job.created", { time: job.created_at });
  expires.textContent = t("job.expires", { time: job.expires_at });

  error.hidden = job.status !== "failed";
  error.textContent = job.error ? capitalize(errorText(jobError(job))) : "";

  download.hidden = job.status !== "succeeded";
  download.href = downloadUrl(job.id);
  download.textContent = t("job.download");
  download.setAttribute("aria-label", t("job.download.label",
    { name: job.output ? job.output.name : names }));

  remove.textContent = t("job.delete");
  remove.setAttribute("aria-label", t("job.delete.label", { name: names }));
  remove.disabled = busy;
}

// The session's jobs, newest first, reusing the list items by job id.
export function renderJobs(list, jobs, busy, onDelete) {
  const existing = new Map([...list.children].map((li) => [li.dataset.id,
    li]));
  const items = jobs.map((job) => {
    const item = existing.get(job.id) || jobItem(onDelete);
    updateJobItem(item, job, busy);
    return item;
  });
  // Moves only what is out of place; a moved node would lose focus.
  items.forEach((item, index) => {
    if (list.children[index] !== item) {
      list.insertBefore(item, list.children[index] || null);
    }
  });
  while (list.children.length > items.length) {
    list.lastElementChild.remove();
  }
  $("history-empty").hidden = jobs.length > 0;
}
