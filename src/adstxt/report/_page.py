"""The page's fixed parts: its style sheet and its one small script.

The script only adds sorting and filtering to tables that are complete without it. The
page's Content-Security-Policy allows this script by its hash and nothing else: no other
script runs, even one that a bug let into the page, and nothing is fetched from anywhere.
"""

from __future__ import annotations

import base64
import hashlib

__all__ = ["CSP", "SCRIPT", "STYLE"]

STYLE = """
:root { --error: #c62828; --warning: #b35c00; --info: #1565c0; --clean: #2e7d32;
  --unreadable: #6d6d6d; --line: #d0d4da; --soft: #f3f5f8; --text: #1d2329; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--text); margin: 0 auto; padding: 1.5rem 2rem 3rem; max-width: 1400px; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line);
  padding-bottom: .25rem; }
.meta, .note, .count { color: #555; }
.note { background: #fff8e1; border-left: 4px solid var(--warning); padding: .5rem .75rem; }
.figures { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; padding: 0; }
.figures div { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem;
  min-width: 8.5rem; background: var(--soft); }
.figures dt { font-size: .8rem; color: #555; }
.figures dd { margin: 0; font-size: 1.5rem; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem 2.5rem; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .4rem; }
svg.chart { max-width: 100%; height: auto; font-size: 11px; }
td code.command { white-space: nowrap; word-break: normal; }
svg .label, svg .figure { fill: var(--text); }
svg .track { fill: var(--soft); stroke: var(--line); }
.sev-error, .v-errors { fill: var(--error); background: var(--error); }
.sev-warning, .v-warnings { fill: var(--warning); background: var(--warning); }
.sev-info, .v-info-only { fill: var(--info); background: var(--info); }
.v-clean, .covered { fill: var(--clean); background: var(--clean); }
.v-unreadable { fill: var(--unreadable); background: var(--unreadable); }
.ch-file-appeared { fill: #1b5e20; background: #1b5e20; }
.ch-file-disappeared { fill: #7f0000; background: #7f0000; }
.ch-file-became-invalid { fill: #ad1457; background: #ad1457; }
.ch-file-recovered { fill: #00695c; background: #00695c; }
.ch-record-removed { fill: #e53935; background: #e53935; }
.ch-record-added { fill: #43a047; background: #43a047; }
.ch-relationship-changed { fill: #ef6c00; background: #ef6c00; }
.ch-certification-changed { fill: #9e7c00; background: #9e7c00; }
.ch-variable-removed { fill: #795548; background: #795548; }
.ch-variable-added { fill: #1e88e5; background: #1e88e5; }
.ch-variable-changed { fill: #5e35b1; background: #5e35b1; }
.ch-seller-removed { fill: #d81b60; background: #d81b60; }
.ch-seller-added { fill: #26a69a; background: #26a69a; }
.ch-seller-changed { fill: #8e24aa; background: #8e24aa; }
.ch-app-domain-changed { fill: #00838f; background: #00838f; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem 1rem; padding: 0;
  margin: .4rem 0 0; font-size: .85rem; }
.legend span { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px;
  margin-right: .3rem; vertical-align: -1px; }
.tools { display: flex; gap: 1rem; align-items: center; margin: .4rem 0; }
.filter { font: inherit; padding: .3rem .5rem; min-width: 18rem; border: 1px solid #999;
  border-radius: 4px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: var(--soft); position: sticky; top: 0; white-space: nowrap; }
th button { all: unset; cursor: pointer; font-weight: inherit; }
th button:focus-visible { outline: 2px solid var(--info); }
.skip { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.inputs { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
.inputs div { display: contents; }
.inputs dt { color: #555; }
.inputs dd { margin: 0; }
th button::after { content: " \\2195"; color: #999; }
th[aria-sort=ascending] button::after { content: " \\2191"; color: var(--text); }
th[aria-sort=descending] button::after { content: " \\2193"; color: var(--text); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td code { white-space: pre-wrap; word-break: break-all; background: var(--soft);
  padding: 0 .2rem; }
.badge { color: #fff; border-radius: 3px; padding: 0 .35rem; font-size: .8rem;
  white-space: nowrap; }
tr:hover td { background: #fafbfc; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  .tools, .skip { display: none; }
  a { color: inherit; text-decoration: none; }
  th { position: static; }
  th button::after { content: none; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  h2 { break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

SCRIPT = """
(function () {
  "use strict";
  function key(cell) {
    var value = cell.getAttribute("data-v");
    return value === null ? cell.textContent.trim().toLowerCase() : Number(value);
  }
  function sortBy(table, header, column) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var headers = table.tHead.rows[0].cells;
    for (var i = 0; i < headers.length; i++) { headers[i].removeAttribute("aria-sort"); }
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    // Each key is read once; the rows are then moved in one step, off the page.
    var items = Array.prototype.map.call(body.rows, function (row, index) {
      return { row: row, key: key(row.cells[column]), order: index };
    });
    items.sort(function (a, b) {
      var order = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
      return (ascending ? order : -order) || a.order - b.order;
    });
    var fragment = document.createDocumentFragment();
    items.forEach(function (item) { fragment.appendChild(item.row); });
    table.removeChild(body);
    body.appendChild(fragment);
    table.appendChild(body);
  }
  function filter(table, input, count) {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var text = rows[i].textContent.toLowerCase();
      var keep = words.every(function (word) { return text.indexOf(word) !== -1; });
      rows[i].hidden = !keep;
      if (keep) { shown++; }
    }
    count.textContent = shown + " of " + rows.length + " rows";
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.data"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      var button = document.createElement("button");
      button.type = "button";
      while (header.firstChild) { button.appendChild(header.firstChild); }
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, header, column); });
    });
    var tools = document.getElementById(table.id + "-tools");
    if (!tools) { return; }
    var input = tools.querySelector("input"), count = tools.querySelector(".count");
    input.addEventListener("input", function () { filter(table, input, count); });
    tools.hidden = false;
  });
})();
"""

_DIGEST = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")

#: The page's Content-Security-Policy: its own style and script, inline images, nothing else.
CSP = (
    f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_DIGEST}'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
