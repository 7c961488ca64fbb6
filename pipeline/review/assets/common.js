/* mgi review, shared part: the page's data (JSON block #data) and helpers.
   Data from PDFs is only ever set with textContent. Written inline into every
   review page, followed by index.js or document.js, inside one function. */
  "use strict";
  var DATA = JSON.parse(document.getElementById("data").textContent);
  var app = document.getElementById("app");

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function show(v) {
    if (v === null || v === undefined) return "";
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  function pct(v) { return v === null || v === undefined ? "" : (100 * v).toFixed(1); }

  function scoreTable(tables) {
    var t = el("table");
    var h = el("tr");
    ["table", "precision", "recall", "F1", "tp", "fp", "fn"].forEach(function (n) { h.appendChild(el("th", null, n)); });
    t.appendChild(h);
    Object.keys(tables).forEach(function (name) {
      var s = tables[name], r = el("tr", {"data-score": name});
      [name, pct(s.precision), pct(s.recall), pct(s.f1), s.tp, s.fp, s.fn].forEach(function (v) { r.appendChild(el("td", null, v)); });
      t.appendChild(r);
    });
    return t;
  }

