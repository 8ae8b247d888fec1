// The note goes to this server's /v1/extract and nowhere else; it is never stored. Results
// are drawn with textContent only, so nothing in a note can become markup.
"use strict";

const PALETTE = ["#ffd8a8", "#b2f2bb", "#a5d8ff", "#eebefa", "#ffc9c9", "#c3fae8", "#fff3bf", "#d0bfff"];
const colours = new Map();
let modelShown = false;

function colourFor(label) {
  if (!colours.has(label)) colours.set(label, PALETTE[colours.size % PALETTE.length]);
  return colours.get(label);
}

function authHeaders() {
  const token = document.getElementById("token").value.trim();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function setStatus(message, isError = false) {
  const status = document.getElementById("status");
  status.textContent = message;
  status.classList.toggle("error", isError);
}

async function errorMessage(response) {
  if (response.status === 401) {
    document.getElementById("token-box").open = true;
    return "This server needs an API token: enter it under 'API token'.";
  }
  try {
    const body = await response.json();
    const detail = Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join("; ") : body.detail;
    return `Error ${response.status}: ${detail}`;
  } catch {
    return `Error ${response.status}`;
  }
}

async function showModel() {
  const response = await fetch("v1/model", { headers: authHeaders() });
  const info = document.getElementById("model-info");
  if (!response.ok) {
    info.textContent = await errorMessage(response);
    return;
  }
  const model = await response.json();
  info.textContent = `Model ${model.name} ${model.version}, finds: ${model.labels.join(", ")}`;
  model.labels.forEach(colourFor);
  modelShown = true;
}

// Overlapping predictions are all listed in the table; the text shows the longest of each overlap.
function nonOverlapping(entities) {
  const sorted = [...entities].sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const kept = [];
  for (const entity of sorted) {
    if (!kept.length || entity.start >= kept[kept.length - 1].end) kept.push(entity);
  }
  return kept;
}

function drawHighlighted(text, entities) {
  const view = document.getElementById("highlighted");
  view.replaceChildren();
  let cursor = 0;
  for (const entity of nonOverlapping(entities)) {
    view.append(document.createTextNode(text.slice(cursor, entity.start)));
    const mark = document.createElement("mark");
    mark.className = "entity";
    mark.dataset.label = entity.label;
    mark.title = `${entity.label} (score ${entity.score.toFixed(2)})`;
    mark.style.setProperty("--entity-bg", colourFor(entity.label));
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = entity.label;
    mark.append(document.createTextNode(text.slice(entity.start, entity.end)), tag);
    view.append(mark);
    cursor = entity.end;
  }
  view.append(document.createTextNode(text.slice(cursor)));
}

function drawLegend(entities) {
  const legend = document.getElementById("legend");
  legend.replaceChildren();
  for (const label of new Set(entities.map((e) => e.label))) {
    const item = document.createElement("span");
    item.className = "legend-item";
    item.textContent = label;
    item.style.setProperty("--entity-bg", colourFor(label));
    legend.append(item);
  }
}

function drawTable(entities) {
  const body = document.querySelector("#entity-table tbody");
  body.replaceChildren();
  for (const entity of entities) {
    const row = document.createElement("tr");
    for (const value of [entity.label, entity.text, entity.start, entity.end, entity.score.toFixed(3)]) {
      const cell = document.createElement("td");
      cell.textContent = String(value);
      row.append(cell);
    }
    body.append(row);
  }
}

async function extract(event) {
  event.preventDefault();
  const text = document.getElementById("note").value;
  if (!text.trim()) {
    setStatus("Paste a note first.", true);
    return;
  }
  const button = document.getElementById("extract");
  button.disabled = true;
  setStatus("Extracting…");
  try {
    const response = await fetch("v1/extract", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...authHeaders() },
      body: JSON.stringify({ text }),
    });
    if (!response.ok) {
      setStatus(await errorMessage(response), true);
      return;
    }
    const entities = (await response.json()).documents[0].entities;
    drawLegend(entities);
    drawHighlighted(text, entities);
    drawTable(entities);
    document.getElementById("results").hidden = false;
    setStatus(`${entities.length} entities found.`);
    if (!modelShown) showModel();
  } catch (error) {
    setStatus(`The server could not be reached (${error.message}).`, true);
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("extract-form").addEventListener("submit", extract);
  showModel().catch(() => setStatus("The server could not be reached.", true));
});
