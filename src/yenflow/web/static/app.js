// yenflow dashboard: load each panel's fragment, draw its figures with the
// events overlay, toggle events. Figures and overlays are built by the server;
// this file only places them. Nothing is fetched from outside this server.
"use strict";

const PLOT_CONFIG = {responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"]};

function eventsVisible() {
  const box = document.getElementById("events-toggle");
  return !box || box.checked;
}

function drawFigures(root, overlay) {
  root.querySelectorAll("script.figure").forEach((script) => {
    const div = script.previousElementSibling;
    const fig = JSON.parse(script.textContent);
    let data = fig.data;
    if (overlay && overlay.length && fig.layout.meta && fig.layout.meta.events) {
      const on = eventsVisible();
      data = data.concat(overlay.map((t) => Object.assign({}, t, {visible: on && t.meta.shown ? true : "legendonly"})));
    }
    Plotly.newPlot(div, data, fig.layout, PLOT_CONFIG);
    div.dataset.drawn = "1";
  });
}

const early = window.yfEarly || {};

async function loadOverlay(container) {
  const src = container.dataset.events;
  if (!src) return [];
  try {
    const fig = await (early.events || fetch(src).then((r) => (r.ok ? r.json() : {data: []})));
    return fig.data || [];
  } catch (e) {
    return [];
  }
}

async function loadPanel(slot, overlayPromise) {
  let html;
  try {
    html = await (early[slot.dataset.src] || fetch(slot.dataset.src).then((r) => r.text()));
  } catch (e) {
    html = "<section class='panel failed'><p class='notice error'>The server did not answer: " + e + "</p></section>";
  }
  slot.innerHTML = html;
  drawFigures(slot, await overlayPromise);
  slot.dataset.loaded = "1";
}

function toggleEvents() {
  const on = eventsVisible();
  document.querySelectorAll(".chart[data-drawn]").forEach((div) => {
    const idx = [], vis = [];
    (div.data || []).forEach((t, i) => {
      if (t.meta && t.meta.event) { idx.push(i); vis.push(on && t.meta.shown ? true : "legendonly"); }
    });
    if (idx.length) Plotly.restyle(div, {visible: vis}, idx);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const container = document.querySelector(".panels");
  if (!container) return;
  const overlay = loadOverlay(container);
  const slots = Array.from(document.querySelectorAll(".slot[data-src]"));
  Promise.all(slots.map((s) => loadPanel(s, overlay))).then(() => { document.body.dataset.ready = "1"; });
  const box = document.getElementById("events-toggle");
  if (box) box.addEventListener("change", toggleEvents);
  const asOf = document.getElementById("as-of");
  // one navigation per date: a second "change" for the same value would abort the first request
  let sent = null;
  if (asOf) asOf.addEventListener("change", () => {
    if (asOf.value === sent) return;
    sent = asOf.value;
    asOf.form.submit();
  });
});
