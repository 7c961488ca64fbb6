/* mgi review: the corpus dashboard (index.html); plots drawn as SVG here. */
  function barChart(plot) {
    var NS = "http://www.w3.org/2000/svg", bars = plot.bars, rowH = 18, labelW = 190, barW = 220;
    var max = Math.max.apply(null, bars.map(function (b) { return b[1]; }).concat([1]));
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("width", labelW + barW + 50);
    svg.setAttribute("height", Math.max(bars.length, 1) * rowH + 4);
    svg.setAttribute("role", "img");
    bars.forEach(function (b, i) {
      var y = i * rowH + 2;
      var label = document.createElementNS(NS, "text");
      label.setAttribute("x", labelW - 4); label.setAttribute("y", y + 13); label.setAttribute("text-anchor", "end");
      label.setAttribute("font-size", "11");
      label.textContent = b[0].length > 28 ? b[0].slice(0, 27) + "\u2026" : b[0];
      var rect = document.createElementNS(NS, "rect");
      rect.setAttribute("x", labelW); rect.setAttribute("y", y + 2);
      rect.setAttribute("width", Math.max(1, barW * b[1] / max)); rect.setAttribute("height", rowH - 5);
      rect.setAttribute("fill", "#4575b4");
      var n = document.createElementNS(NS, "text");
      n.setAttribute("x", labelW + barW * b[1] / max + 4); n.setAttribute("y", y + 13); n.setAttribute("font-size", "11");
      n.textContent = String(b[1]);
      svg.appendChild(label); svg.appendChild(rect); svg.appendChild(n);
    });
    return svg;
  }

  // ------------------------------------------------------------------ index
  function drawIndex() {
    var head = el("header", {"class": "top"});
    head.appendChild(el("h1", null, "Corpus review: " + DATA.documents.length + " documents"));
    app.appendChild(head);
    var main = el("div", {"class": "index-main"});
    app.appendChild(main);
    if (DATA.gold) {
      var sc = el("div", {"class": "scores"});
      sc.appendChild(el("h2", null, "Against the gold files (as mgi validate)"));
      sc.appendChild(scoreTable(DATA.gold.tables));
      main.appendChild(sc);
    }
    var t = el("table", {"class": "docs"}), h = el("tr");
    ["document", "status", "pages"].concat(DATA.tables).concat(["warnings"]).forEach(function (n) { h.appendChild(el("th", null, n)); });
    t.appendChild(h);
    DATA.documents.forEach(function (d) {
      var r = el("tr", {"data-doc": d.doc_id}), c = el("td");
      var a = el("a", {href: d.href}, d.title || d.source_file || d.doc_id);
      c.appendChild(a); r.appendChild(c);
      var st = el("td", {"class": "status-" + d.status}, d.status + (d.error ? " (" + d.error + ")" : ""));
      r.appendChild(st);
      r.appendChild(el("td", null, d.n_pages));
      DATA.tables.forEach(function (tn) { r.appendChild(el("td", null, d.rows[tn])); });
      r.appendChild(el("td", null, d.warnings));
      t.appendChild(r);
    });
    main.appendChild(t);
    var plots = el("div", {"class": "plots"});
    DATA.plots.forEach(function (p) {
      var box = el("div", {"class": "plot"});
      box.appendChild(el("h3", null, p.title));
      box.appendChild(p.bars.length ? barChart(p) : el("p", null, "none"));
      plots.appendChild(box);
    });
    main.appendChild(plots);
    if (DATA.failed.length) {
      main.appendChild(el("h3", null, "Failed files"));
      var ul = el("ul");
      DATA.failed.forEach(function (f) { ul.appendChild(el("li", null, f[0] + ": " + f[1])); });
      main.appendChild(ul);
    }
  }

  drawIndex();
