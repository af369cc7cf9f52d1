// Talks to the docshift API. Every failure comes back as one shape,
// { status, code, message }, whether the API answered with its JSON error,
// nginx with its own (413, 502, 504), a proxy with an HTML page, or the
// network not at all (status 0).

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
    // The server's own words, or null when it sent none.
    this.serverMessage = message || null;
  }
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Turns a response that is not a success into an ApiError. A body that is
// not the API's error JSON keeps only its status: its text is nothing a
// person should read.
function errorFromResponse(status, text) {
  const body = parseJson(text);
  const error = body && typeof body === "object" ? body.error : undefined;
  if (error && typeof error.code === "string") {
    return new ApiError(status, error.code,
      typeof error.message === "string" ? error.message : null);
  }
  return new ApiError(status, "unexpected_response", null);
}

async function request(method, path) {
  let response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
  } catch {
    throw new ApiError(0, "network_error", null);
  }
  const text = await response.text();
  if (!response.ok) {
    throw errorFromResponse(response.status, text);
  }
  if (response.status === 204) {
    return null;
  }
  const body = parseJson(text);
  if (body === undefined) {
    throw new ApiError(response.status, "unexpected_response", null);
  }
  return body;
}

export function getCatalog() {
  return request("GET", "/api/conversions");
}

export async function listJobs() {
  return (await request("GET", "/api/jobs")).jobs;
}

export function deleteJob(id) {
  return request("DELETE", `/api/jobs/${encodeURIComponent(id)}`);
}

export function downloadUrl(id) {
  return `/api/jobs/${encodeURIComponent(id)}/download`;
}

// Sends the files with XMLHttpRequest, the one browser API that reports
// upload progress. onProgress gets the share sent so far, from 0 to 1.
// Resolves with the created job.
export function createJob({ conversion, options, files }, onProgress) {
  const form = new FormData();
  // The server reads the conversion first: options and files are checked
  // against it.
  form.append("conversion", conversion);
  for (const [name, value] of Object.entries(options)) {
    form.append(name, String(value));
  }
  for (const file of files) {
    form.append("file", file, file.name);
  }

  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/jobs");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && event.total > 0) {
        onProgress(event.loaded / event.total);
      }
    });
    xhr.addEventListener("load", () => {
      if (xhr.status === 201) {
        const job = parseJson(xhr.responseText);
        if (job && typeof job.id === "string") {
          resolve(job);
          return;
        }
        reject(new ApiError(xhr.status, "unexpected_response", null));
        return;
      }
      reject(errorFromResponse(xhr.status, xhr.responseText));
    });
    // nginx may close the connection as soon as it sees a body over its
    // limit, before the browser can read the 413.
    xhr.addEventListener("error", () =>
      reject(new ApiError(0, "network_error", null)));
    xhr.addEventListener("abort", () =>
      reject(new ApiError(0, "network_error", null)));
    xhr.send(form);
  });
}
