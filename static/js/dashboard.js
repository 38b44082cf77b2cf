/* Ansinh dashboards: each chart is drawn from the table beside it, so the numbers a reader sees in
   the table are the numbers the chart shows, and the page is whole without JavaScript.

   <table data-chart="line|bar|hbar" data-chart-canvas="ID" data-chart-suffix=" %">
     <thead><tr><th>…</th><th data-series>Series label</th>…</tr></thead>
     <tbody><tr><th data-label>Row label</th><td data-value="12.5">12,5</td>…</tr></tbody>
   </table>
   Columns whose header carries data-series become datasets; each body row is one label; a cell's
   data-value is its number (empty: no value, drawn as a gap, never as 0). */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;

  var PALETTE = ["#b02a37", "#d97706", "#6f42c1", "#0d6efd", "#198754", "#6c757d", "#20c997"];
  var locale = document.documentElement.lang || "vi";

  function number(cell) {
    var raw = cell ? cell.getAttribute("data-value") : null;
    if (raw === null || raw === "") return null;
    var value = Number(raw);
    return isFinite(value) ? value : null;
  }

  // Long labels (programme and indicator names) on several lines, at most 32 characters each.
  function wrap(text) {
    var lines = [];
    var line = "";
    text.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > 32) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    return lines.length > 1 ? lines : text;
  }

  function read(table) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var columns = [];
    heads.forEach(function (th, index) {
      if (th.hasAttribute("data-series")) {
        columns.push({ index: index, label: th.getAttribute("data-series") || th.textContent.trim() });
      }
    });
    var labels = [];
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    rows.forEach(function (row) {
      var head = row.querySelector("[data-label]") || row.cells[0];
      labels.push(wrap(head.getAttribute("data-label") || head.textContent.trim()));
    });
    var datasets = columns.map(function (column, n) {
      return {
        label: column.label,
        data: rows.map(function (row) { return number(row.cells[column.index]); }),
        borderColor: PALETTE[n % PALETTE.length],
        backgroundColor: PALETTE[n % PALETTE.length],
        spanGaps: false,
        tension: 0.2
      };
    });
    return { labels: labels, datasets: datasets };
  }

  function draw(table) {
    var canvas = document.getElementById(table.getAttribute("data-chart-canvas"));
    if (!canvas) return;
    var kind = table.getAttribute("data-chart");
    var suffix = table.getAttribute("data-chart-suffix") || "";
    var data = read(table);
    var horizontal = kind === "hbar";
    if (horizontal) {
      // One bar per row, each tall enough for its label.
      var lines = data.labels.reduce(function (n, label) {
        return n + (Array.isArray(label) ? label.length : 1);
      }, 0);
      var bars = data.labels.length * data.datasets.length;
      canvas.parentNode.style.height = Math.max(160, lines * 16 + bars * 14 + 60) + "px";
    }
    var format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    new window.Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: data,
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: locale,
        plugins: {
          legend: { display: data.datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = horizontal ? item.parsed.x : item.parsed.y;
                return item.dataset.label + ": " + (value === null ? "–" : format.format(value) + suffix);
              }
            }
          }
        },
        scales: horizontal
          ? { x: { beginAtZero: true }, y: { ticks: { autoSkip: false } } }
          : { y: { beginAtZero: true } }
      }
    });
    canvas.closest("[data-chart-box]").classList.remove("d-none");
  }

  document.querySelectorAll("table[data-chart]").forEach(draw);
})();
