/* mgi review: a document's page: page images, a box per row, side panel, gold view, labelling. */
  // --------------------------------------------------------------- document
  var boxes = {};      // table + "\u0000" + id -> box element
  var rowsById = {};   // same key -> row entry
  var listItems = {};  // same key -> side-panel li
  var label = {decisions: {}, edits: {}, added: [], pages: {}};
  var current = null, details, listEl, pagesEl;
  var refsById = {};

  function key(table, id) { return table + "\u0000" + id; }

  function place(node, page, bbox) {
    node.style.left = (100 * bbox[0] / page.width) + "%";
    node.style.top = (100 * bbox[1] / page.height) + "%";
    node.style.width = (100 * Math.max(bbox[2] - bbox[0], 1) / page.width) + "%";
    node.style.height = (100 * Math.max(bbox[3] - bbox[1], 1) / page.height) + "%";
  }

  function gstatus(table, id) {
    var g = DATA.gold;
    return g && g.status[table] ? g.status[table][id] : undefined;
  }

  function drawDoc() {
    var doc = DATA.doc;
    DATA.rows.references.forEach(function (r) { refsById[r.id] = r; });
    var head = el("header", {"class": "top"});
    var h1 = el("h1");
    h1.appendChild(el("a", {href: "index.html"}, "\u2190 corpus"));
    h1.appendChild(document.createTextNode("  " + (doc.title || doc.doc_id) + "  [" + doc.status + "]"));
    head.appendChild(h1);
    var legend = el("div", {"class": "legend"});
    DATA.tables.forEach(function (t) {
      var lab = el("label"), cb = el("input", {type: "checkbox", "data-toggle": t});
      cb.checked = DATA.hidden.indexOf(t) < 0;
      if (!cb.checked) document.body.classList.add("hide-" + t);
      cb.addEventListener("change", function () { document.body.classList.toggle("hide-" + t, !cb.checked); });
      var sw = el("span", {"class": "swatch"});
      sw.style.borderColor = DATA.colours[t];
      lab.appendChild(cb); lab.appendChild(sw);
      lab.appendChild(document.createTextNode(t + " (" + DATA.rows[t].length + ")"));
      legend.appendChild(lab);
    });
    var lb = el("button", {id: "labelling", type: "button"}, "Labelling mode");
    lb.addEventListener("click", function () { document.body.classList.toggle("labelling"); });
    legend.appendChild(lb);
    head.appendChild(legend);
    if ((doc.warnings || []).length) {
      var w = el("details");
      w.appendChild(el("summary", null, doc.warnings.length + " warnings"));
      doc.warnings.forEach(function (x) { w.appendChild(el("div", null, x)); });
      head.appendChild(w);
    }
    var bar = el("div", {"class": "label-bar"});
    var add = el("button", {id: "add-item", type: "button"}, "Add a missed item (drag over its text)");
    add.addEventListener("click", function () { document.body.classList.toggle("adding"); });
    var dl = el("button", {id: "download", type: "button"}, "Download " + DATA.stem + ".json");
    dl.addEventListener("click", download);
    var clear = el("button", {id: "clear-labels", type: "button"}, "Start over");
    clear.addEventListener("click", function () {
      try { window.localStorage.removeItem(STORE); } catch (e) { /* nothing kept */ }
      window.location.reload();
    });
    bar.appendChild(add); bar.appendChild(dl); bar.appendChild(clear);
    bar.appendChild(el("span", {id: "label-count"}, ""));
    head.appendChild(bar);
    app.appendChild(head);

    var layout = el("div", {"class": "layout"});
    pagesEl = el("main", {"class": "pages"});
    var panel = el("aside", {"class": "panel"});
    layout.appendChild(pagesEl); layout.appendChild(panel);
    app.appendChild(layout);
    if (DATA.gold) panel.appendChild(goldSummary());
    details = el("div", {"class": "details", id: "details"});
    panel.appendChild(details);
    panel.appendChild(filters());
    listEl = el("ul", {"class": "rowlist", id: "rowlist"});
    panel.appendChild(listEl);

    var byPage = {};
    DATA.pages.forEach(function (p) { byPage[p.number] = drawPage(p); });
    DATA.tables.forEach(function (t) {
      DATA.rows[t].forEach(function (r) {
        rowsById[key(t, r.id)] = r;
        var pg = byPage[r.page];
        if (!pg || !r.bbox) return;
        var b = el("div", {"class": "box t-" + t, "data-table": t, "data-id": r.id, title: t + " " + r.id});
        var gs = gstatus(t, r.id);
        if (gs) { b.classList.add("g-" + gs); b.setAttribute("data-gold", gs); }
        b.style.setProperty("--c", DATA.colours[t]);
        place(b, pg.page, r.bbox);
        b.addEventListener("click", function (ev) { ev.stopPropagation(); select(t, r.id, false); });
        b.addEventListener("mouseenter", function () { if (!current) showRow(t, r); });
        pg.overlay.appendChild(b);
        boxes[key(t, r.id)] = b;
        if (t === "sections") extent(byPage, r);
      });
    });
    drawMarkers(byPage);
    if (DATA.gold) drawMisses(byPage);
    fillList();
    restore(byPage);
  }

  function drawMarkers(byPage) {
    // footnote markers in the text, each tied to its note (data-footnote)
    var notes = {};
    DATA.rows.footnotes.forEach(function (f) { notes[f.cols.paragraph_id + "\u0000" + f.cols.number] = f.id; });
    DATA.rows.paragraphs.forEach(function (r) {
      var marks = [];
      try { marks = JSON.parse(r.cols.markers || "[]"); } catch (e) { marks = []; }
      marks.forEach(function (m) {
        var pg = byPage[m.page];
        if (!pg || !m.bbox) return;
        var note = notes[r.id + "\u0000" + m.number];
        var b = el("div", {"class": "box marker t-footnotes", "data-marker": m.number, "data-paragraph": r.id,
                           "data-footnote": note, title: "footnote marker " + m.number});
        b.style.setProperty("--c", DATA.colours.footnotes);
        place(b, pg.page, [m.bbox[0] - 1, m.bbox[1] - 1, m.bbox[2] + 1, m.bbox[3] + 1]);
        if (note) b.addEventListener("click", function (ev) { ev.stopPropagation(); select("footnotes", note, true); });
        pg.overlay.appendChild(b);
      });
    });
  }

  function extent(byPage, r) {
    var last = r.cols.page_end || r.page;
    for (var n = r.page; n <= last; n++) {
      var pg = byPage[n];
      if (!pg) continue;
      var top = n === r.page ? r.bbox[1] : 0;
      var bar = el("div", {"class": "extent", "data-extent": r.id, title: r.cols.heading});
      bar.style.top = (100 * top / pg.page.height) + "%";
      bar.style.height = (100 * (pg.page.height - top) / pg.page.height) + "%";
      pg.overlay.appendChild(bar);
    }
  }

  function drawPage(p) {
    var zoom = 1.25;
    var sec = el("section", {"class": "page", id: "page-" + p.number, "data-page": p.number});
    sec.style.width = (p.width * zoom) + "px";
    var head = el("div", {"class": "page-head"});
    head.appendChild(el("span", null, "page " + p.number));
    var pl = el("label", {"class": "page-labelled"});
    var cb = el("input", {type: "checkbox", "data-labelled": p.number});
    cb.addEventListener("change", function () { label.pages[p.number] = cb.checked; count(); });
    pl.appendChild(cb); pl.appendChild(document.createTextNode(" page labelled"));
    head.appendChild(pl);
    sec.appendChild(head);
    var sheet = el("div", {"class": "sheet"});
    sheet.style.paddingBottom = (100 * p.height / p.width) + "%";
    if (p.img) sheet.appendChild(el("img", {src: p.img, loading: "lazy", alt: "page " + p.number, decoding: "async"}));
    var overlay = el("div", {"class": "overlay"});
    sheet.appendChild(overlay);
    sec.appendChild(sheet);
    pagesEl.appendChild(sec);
    dragTool(overlay, p);
    return {page: p, overlay: overlay};
  }

  function goldSummary() {
    var g = DATA.gold, box = el("div", {"class": "scores", id: "gold"});
    box.appendChild(el("h3", null, "Gold: " + g.gold_file + " (solid: match, dashed: extra, dotted: miss)"));
    box.appendChild(scoreTable(g.tables));
    return box;
  }

  function drawMisses(byPage) {
    DATA.gold.misses.forEach(function (m, i) {
      var pg = byPage[m.page];
      if (!pg) return;
      var b = el("div", {"class": "box g-miss", "data-gold": "miss", "data-miss-table": m.table, title: "missed " + m.table + ": " + m.text});
      place(b, pg.page, findText(pg.page, m.text) || [pg.page.width * 0.02, 4 + 12 * (i % 20), pg.page.width * 0.3, 14 + 12 * (i % 20)]);
      b.addEventListener("click", function (ev) {
        ev.stopPropagation();
        details.textContent = "";
        details.appendChild(el("h3", null, "Missed " + m.table + " (page " + m.page + ")"));
        details.appendChild(el("p", null, m.text));
      });
      pg.overlay.appendChild(b);
    });
  }

  function norm(s) { return String(s || "").toLowerCase().replace(/\s+/g, " ").trim(); }

  function findText(page, text) {
    var want = norm(text).split(" ").slice(0, 4).join(" ");
    if (!want) return null;
    for (var i = 0; i < page.lines.length; i++) {
      var ln = page.lines[i], at = norm(ln[4]).indexOf(want);
      if (at >= 0) {
        var len = Math.max(norm(ln[4]).length, 1), w = ln[2] - ln[0];
        return [ln[0] + w * at / len, ln[1], Math.min(ln[2], ln[0] + w * (at + norm(text).length) / len), ln[3]];
      }
    }
    return null;
  }

  // side panel
  var filterState = {table: "", dimension: "", kind: "", text: ""};
  function filters() {
    var f = el("div", {"class": "filters"});
    function sel(name, options) {
      var s = el("select", {"data-filter": name});
      s.appendChild(el("option", {value: ""}, "any " + name));
      options.forEach(function (o) { s.appendChild(el("option", {value: o}, o)); });
      s.addEventListener("change", function () { filterState[name] = s.value; fillList(); });
      f.appendChild(s);
    }
    sel("table", DATA.tables);
    sel("dimension", ["1", "2", "3", "4", "5", "6"]);
    var kinds = {};
    DATA.tables.forEach(function (t) { DATA.rows[t].forEach(function (r) { var k = rowKind(r); if (k) kinds[k] = 1; }); });
    sel("kind", Object.keys(kinds).sort());
    var q = el("input", {type: "search", placeholder: "text", "data-filter": "text"});
    q.addEventListener("input", function () { filterState.text = q.value.toLowerCase(); fillList(); });
    f.appendChild(q);
    return f;
  }

  function rowKind(r) { var c = r.cols; return c.kind || c.style || c.instrument || null; }
  function rowText(r) { var c = r.cols; return c.raw || c.heading || c.text || ""; }
  function rowDim(r) { return r.dimension !== undefined ? r.dimension : r.cols.dimension; }

  function fillList() {
    listEl.textContent = "";
    var shown = 0;
    DATA.tables.forEach(function (t) {
      if (filterState.table && filterState.table !== t) return;
      DATA.rows[t].forEach(function (r) {
        if (filterState.dimension && String(rowDim(r)) !== filterState.dimension) return;
        if (filterState.kind && rowKind(r) !== filterState.kind) return;
        if (filterState.text && rowText(r).toLowerCase().indexOf(filterState.text) < 0) return;
        if (shown >= 2000) return;
        shown++;
        var li = el("li", {"data-table": t, "data-row": r.id});
        var tag = el("span", {"class": "tag"});
        tag.style.background = DATA.colours[t];
        li.appendChild(tag);
        li.appendChild(document.createTextNode("p" + (r.page || "?") + " " + t + ": " + rowText(r).slice(0, 80)));
        li.addEventListener("click", function () { select(t, r.id, true); });
        listItems[key(t, r.id)] = li;
        listEl.appendChild(li);
      });
    });
  }

  function select(table, id, scroll) {
    var k = key(table, id), prev = document.querySelectorAll(".hl");
    for (var i = 0; i < prev.length; i++) prev[i].classList.remove("hl");
    var b = boxes[k];
    if (b) {
      b.classList.add("hl");
      document.body.classList.remove("hide-" + table);
      var cb = document.querySelector('input[data-toggle="' + table + '"]');
      if (cb) cb.checked = true;
      if (scroll) b.scrollIntoView({block: "center"});
    }
    if (listItems[k]) listItems[k].classList.add("hl");
    current = {table: table, id: id};
    showRow(table, rowsById[k]);
  }

  function showRow(table, r) {
    details.textContent = "";
    details.appendChild(el("h3", null, table + " " + r.id));
    var t = el("table");
    function line(name, value) {
      var tr = el("tr");
      tr.appendChild(el("td", null, name)); tr.appendChild(el("td", null, show(value)));
      t.appendChild(tr);
    }
    DATA.columns[table].forEach(function (c) {
      if (c === "text" && String(r.cols[c] || "").length > 600) line(c, r.cols[c].slice(0, 600) + "\u2026");
      else line(c, r.cols[c]);
    });
    if (r.section_kind !== undefined) line("section kind", r.section_kind);
    if (r.cols.reference_id && refsById[r.cols.reference_id]) line("KEY SOURCES entry", refsById[r.cols.reference_id].cols.raw);
    var gs = gstatus(table, r.id);
    if (gs) line("gold", gs);
    var prefix = "p" + r.page + ":";
    (DATA.doc.warnings || []).forEach(function (w) { if (w.indexOf(prefix) === 0) line("page warning", w); });
    details.appendChild(t);
    if (r.gold) details.appendChild(labelControls(table, r));
  }

  // labelling
  var KIND_FIELD = {statistics: ["kind", "StatisticKind"], citations: ["style", "CitationStyle"],
                    legal_references: ["instrument", "Instrument"], sections: ["kind", "SectionKind"]};

  function labelControls(table, r) {
    var k = key(table, r.id), box = el("div", {"class": "label-bar", id: "label-controls"});
    box.appendChild(el("span", null, "decision: " + (label.decisions[k] || "none") + "  "));
    var yes = el("button", {type: "button", "data-action": "confirm"}, "Confirm");
    var no = el("button", {type: "button", "data-action": "reject"}, "Reject");
    yes.addEventListener("click", function () { decide(table, r, "confirmed"); });
    no.addEventListener("click", function () { decide(table, r, "rejected"); });
    box.appendChild(yes); box.appendChild(no);
    var edit = label.edits[k] || {};
    if (table === "statistics") {
      var v = el("input", {type: "number", step: "any", "data-edit": "value", value: show(edit.value !== undefined ? edit.value : r.gold.value)});
      v.addEventListener("change", function () { setEdit(table, r, "value", parseFloat(v.value)); });
      box.appendChild(el("span", null, " value ")); box.appendChild(v);
    }
    if (KIND_FIELD[table]) {
      var field = KIND_FIELD[table][0], s = el("select", {"data-edit": field});
      DATA.choices[KIND_FIELD[table][1]].forEach(function (o) { s.appendChild(el("option", {value: o}, o)); });
      s.value = edit[field] !== undefined ? edit[field] : r.gold[field];
      s.addEventListener("change", function () { setEdit(table, r, field, s.value); });
      box.appendChild(el("span", null, " " + field + " ")); box.appendChild(s);
    }
    return box;
  }

  function decide(table, r, what) {
    var k = key(table, r.id);
    label.decisions[k] = what;
    var b = boxes[k];
    if (b) { b.classList.remove("l-confirmed", "l-rejected"); b.classList.add(what === "confirmed" ? "l-confirmed" : "l-rejected"); }
    showRow(table, r);
    count();
  }

  function setEdit(table, r, field, value) {
    var k = key(table, r.id);
    label.edits[k] = label.edits[k] || {};
    label.edits[k][field] = value;
    decide(table, r, "confirmed");
  }

  var STORE = "mgi-review:" + (DATA.doc ? DATA.doc.doc_id + ":" + DATA.doc.sha256 : "");
  function save() {
    try { window.localStorage.setItem(STORE, JSON.stringify(label)); } catch (e) { /* storage off: labels live in the page */ }
  }
  function restore(byPage) {
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(STORE) || "null"); } catch (e) { saved = null; }
    if (!saved || typeof saved !== "object") return;
    label.decisions = saved.decisions || {}; label.edits = saved.edits || {}; label.pages = saved.pages || {};
    label.added = [];
    Object.keys(label.decisions).forEach(function (k) {
      var b = boxes[k];
      if (b) b.classList.add(label.decisions[k] === "confirmed" ? "l-confirmed" : "l-rejected");
    });
    Object.keys(label.pages).forEach(function (n) {
      var cb = document.querySelector('input[data-labelled="' + n + '"]');
      if (cb) cb.checked = !!label.pages[n];
    });
    (saved.added || []).forEach(function (a) { if (byPage[a.item.page] && a.bbox) addBox(byPage[a.item.page], a); });
    count();
  }

  function addBox(pg, a) {
    label.added.push(a);
    var b = el("div", {"class": "box added", "data-added": a.table, title: "added " + a.table + ": " + (a.item.raw || a.item.text)});
    place(b, pg.page, a.bbox);
    pg.overlay.appendChild(b);
  }

  function count() {
    save();
    var n = Object.keys(label.decisions).length;
    var pages = Object.keys(label.pages).filter(function (p) { return label.pages[p]; }).length;
    document.getElementById("label-count").textContent = " " + n + " decided, " + label.added.length + " added, " + pages + " pages marked";
  }

  function words(page) {
    var out = [];
    page.lines.forEach(function (ln) {
      var text = ln[4], parts = text.split(/(\s+)/), pos = 0, len = Math.max(text.length, 1), w = ln[2] - ln[0];
      parts.forEach(function (part) {
        if (part && !/^\s+$/.test(part)) out.push([ln[0] + w * pos / len, ln[1], ln[0] + w * (pos + part.length) / len, ln[3], part]);
        pos += part.length;
      });
    });
    return out;
  }

  function dragTool(overlay, page) {
    var start = null, rect = null;
    function at(ev) {
      var r = overlay.getBoundingClientRect();
      return [(ev.clientX - r.left) / r.width * page.width, (ev.clientY - r.top) / r.height * page.height];
    }
    overlay.addEventListener("mousedown", function (ev) {
      if (!document.body.classList.contains("adding")) return;
      ev.preventDefault();
      start = at(ev);
      rect = el("div", {"class": "drag"});
      overlay.appendChild(rect);
    });
    overlay.addEventListener("mousemove", function (ev) {
      if (!start) return;
      var p = at(ev);
      place(rect, page, [Math.min(start[0], p[0]), Math.min(start[1], p[1]), Math.max(start[0], p[0]), Math.max(start[1], p[1])]);
    });
    overlay.addEventListener("mouseup", function (ev) {
      if (!start) return;
      var p = at(ev), box = [Math.min(start[0], p[0]), Math.min(start[1], p[1]), Math.max(start[0], p[0]), Math.max(start[1], p[1])];
      start = null;
      rect.remove();
      var picked = words(page).filter(function (w) {
        var cx = (w[0] + w[2]) / 2, cy = (w[1] + w[3]) / 2;
        return cx >= box[0] && cx <= box[2] && cy >= box[1] && cy <= box[3];
      });
      if (!picked.length) return;
      var bb = [Math.min.apply(null, picked.map(function (w) { return w[0]; })), Math.min.apply(null, picked.map(function (w) { return w[1]; })),
                Math.max.apply(null, picked.map(function (w) { return w[2]; })), Math.max.apply(null, picked.map(function (w) { return w[3]; }))];
      addForm(page, overlay, bb, picked.map(function (w) { return w[4]; }).join(" "));
    });
  }

  function firstNumber(text) {
    var m = /\d[\d.,\s]*/.exec(text);
    if (!m) return null;
    var s = m[0].trim().replace(/\s/g, "");
    if (/,\d{1,2}$/.test(s)) s = s.replace(/\./g, "").replace(",", ".");
    else s = s.replace(/,/g, "");
    var v = parseFloat(s);
    return isNaN(v) ? null : v;
  }

  function addForm(page, overlay, bb, text) {
    document.body.classList.remove("adding");
    details.textContent = "";
    var f = el("div", {"class": "label-bar", id: "add-form"});
    f.appendChild(el("h3", null, "New item on page " + page.number));
    var tsel = el("select", {"data-add": "table"});
    ["statistics", "citations", "legal_references", "footnotes"].forEach(function (t) { tsel.appendChild(el("option", {value: t}, t)); });
    var raw = el("input", {"data-add": "raw", value: text, size: 40});
    var kind = el("select", {"data-add": "kind"});
    var value = el("input", {"data-add": "value", type: "number", step: "any", value: show(firstNumber(text))});
    function kinds() {
      kind.textContent = "";
      var spec = KIND_FIELD[tsel.value];
      (spec ? DATA.choices[spec[1]] : []).forEach(function (o) { kind.appendChild(el("option", {value: o}, o)); });
    }
    tsel.addEventListener("change", kinds);
    kinds();
    var ok = el("button", {type: "button", "data-add": "save"}, "Add");
    ok.addEventListener("click", function () {
      var t = tsel.value, item = {checked: true, page: page.number};
      var raw_ = raw.value, num = value.value === "" ? firstNumber(raw_) : parseFloat(value.value);
      if (t === "statistics") { item.kind = kind.value; item.value = num === null ? 0 : num; item.raw = raw_; }
      if (t === "citations") {
        var y = /(1[89]\d\d|20\d\d)/.exec(raw_);
        item.style = kind.value; item.raw = raw_; item.year = y ? parseInt(y[1], 10) : null;
        item.author = raw_.replace(/[(),]/g, " ").replace(/(1[89]\d\d|20\d\d)[a-z]?/, "").trim() || null;
      }
      if (t === "legal_references") {
        var nm = /\d[\d.]*/.exec(raw_);
        item.instrument = kind.value; item.number = nm ? nm[0].replace(/\.$/, "") : raw_; item.raw = raw_;
      }
      if (t === "footnotes") { item.number = null; item.text = raw_; }
      addBox({page: page, overlay: overlay}, {table: t, item: item, bbox: bb});
      details.textContent = "";
      details.appendChild(el("p", {id: "added-note"}, "Added to " + t + ": " + raw_));
      count();
    });
    [["table", tsel], ["text", raw], ["kind", kind], ["value", value]].forEach(function (p) {
      var row = el("div"); row.appendChild(el("span", null, p[0] + " ")); row.appendChild(p[1]); f.appendChild(row);
    });
    f.appendChild(ok);
    details.appendChild(f);
  }

  function goldFile() {
    var pages = {};
    Object.keys(label.pages).forEach(function (p) { if (label.pages[p]) pages[p] = 1; });
    DATA.tables.forEach(function (t) {
      DATA.rows[t].forEach(function (r) { if (label.decisions[key(t, r.id)] && r.page) pages[r.page] = 1; });
    });
    label.added.forEach(function (a) { pages[a.item.page] = 1; });
    var out = {document: {source_file: DATA.stem + ".pdf"}, tables_labelled: DATA.gold_tables.slice(),
               pages_labelled: Object.keys(pages).map(Number).sort(function (a, b) { return a - b; })};
    DATA.gold_tables.forEach(function (t) { out[t] = []; });
    var refKeys = {};
    DATA.gold_tables.forEach(function (t) {
      DATA.rows[t].forEach(function (r) {
        var k = key(t, r.id), d = label.decisions[k];
        if (!r.gold || d === "rejected") return;
        if (!pages[t === "sections" ? r.cols.page_start : r.page]) return;
        var item = JSON.parse(JSON.stringify(r.gold)), e = label.edits[k] || {};
        Object.keys(e).forEach(function (f) { item[f] = e[f]; });
        if (t === "references") refKeys[r.gold.author + "|" + (r.gold.year === null ? "" : r.gold.year) + (r.gold.year_suffix || "")] = 1;
        out[t].push(item);
      });
    });
    out.citations.forEach(function (c) { if (c.reference && !refKeys[c.reference]) c.reference = null; });
    label.added.forEach(function (a) { out[a.table].push(a.item); });
    if (!out.pages_labelled.length) delete out.pages_labelled;
    return out;
  }

  function download() {
    var blob = new Blob([JSON.stringify(goldFile(), null, 2) + "\n"], {type: "application/json"});
    var a = el("a", {href: URL.createObjectURL(blob), download: DATA.stem + ".json"});
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  window.mgiReview = {goldFile: goldFile, select: select};
  drawDoc();
