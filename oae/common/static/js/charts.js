/* Charts: each <canvas data-chart="ID"> is drawn with Chart.js (vendor/chart.umd.min.js, served
   by Django) from the JSON that Django's json_script filter wrote in
   <script type="application/json" id="ID">. A static file: the CSP allows no inline script.
   The JSON says {type: "bar" | "line", labels: [...], series: [{label, values, reference?}]};
   a null value (a hidden figure, no data, a month to come) is never drawn as zero: a bar chart
   leaves that label out, a line chart leaves a gap. The page says so under each chart, and a
   table beside it gives the same numbers.
   Charts are drawn when the page loads and whenever htmx swaps content in (a dashboard's filters
   changed, or the back button restored a page); the charts of content swapped out are destroyed
   first. A page that opened without a chart did not load Chart.js: when one comes, the file its
   canvas names (data-chart-library) is loaded then. */
(function () {
  "use strict";
  var INK = "#1d2430";
  var MUTED = "#4a5566";
  var LINE = "#d5dbe3";
  var MAIN = "#a3122f";
  var REFERENCE = "#0b5cab";
  var BAR_HEIGHT = 30; // pixels per office in a bar chart, so every name fits
  var BAR_SPACE = 90; // the axis and the legend
  var NARROW = 600; // pixels: below, an office's name is written on several lines

  function wrap(text, width) {
    // Chart.js writes an array of strings as lines; a name too long is cut at its left.
    var lines = [];
    text.split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= width) {
        lines[last] += " " + word;
      } else {
        lines.push(word);
      }
    });
    return lines;
  }

  function reducedMotion() {
    return Boolean(window.matchMedia) &&
      window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function barConfig(data, area) {
    // Offices whose figure is hidden or missing are left out, not drawn as zero.
    var main = data.series[0].values;
    var kept = [];
    main.forEach(function (value, index) { if (value !== null) { kept.push(index); } });
    function pick(values) { return kept.map(function (index) { return values[index]; }); }
    var narrow = area.clientWidth < NARROW;
    var labels = pick(data.labels).map(function (label) { return narrow ? wrap(label, 16) : label; });
    var perBar = narrow ? 2 * BAR_HEIGHT : BAR_HEIGHT;
    area.style.height = (kept.length * perBar + BAR_SPACE) + "px";
    return {
      type: "bar",
      data: {
        labels: labels,
        datasets: data.series.map(function (series) {
          if (series.reference) {
            // The network median: a dashed line across the bars.
            return {
              type: "line", label: series.label, data: pick(series.values),
              borderColor: REFERENCE, backgroundColor: REFERENCE, borderWidth: 2,
              borderDash: [6, 4], pointStyle: "line", pointRadius: 0, pointHoverRadius: 0,
              order: 0
            };
          }
          return {
            type: "bar", label: series.label, data: pick(series.values),
            backgroundColor: MAIN, pointStyle: "rect", order: 1
          };
        })
      },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true, grid: { color: LINE } } } }
    };
  }

  function wholeNumbers(data) {
    return data.series.every(function (series) {
      return series.values.every(function (value) { return value === null || value % 1 === 0; });
    });
  }

  function lineConfig(data) {
    // Counts by month: no tick at half a person.
    var ticks = wholeNumbers(data) ? { precision: 0 } : {};
    return {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series) {
          var colour = series.reference ? MUTED : MAIN;
          // The year before is dashed with square points: told apart without colour.
          return {
            label: series.label, data: series.values, spanGaps: false,
            borderColor: colour, backgroundColor: colour, borderWidth: 2,
            borderDash: series.reference ? [6, 4] : [],
            pointStyle: series.reference ? "rect" : "circle", pointRadius: 3
          };
        })
      },
      options: { scales: { y: { beginAtZero: true, ticks: ticks, grid: { color: LINE } } } }
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var figure = canvas.closest("[data-chart-figure]");
    if (figure) { figure.hidden = false; } // shown only once it can be drawn
    var config = data.type === "bar" ? barConfig(data, canvas.parentNode) : lineConfig(data);
    var options = config.options;
    options.responsive = true;
    options.maintainAspectRatio = false;
    options.locale = document.documentElement.lang || undefined;
    options.plugins = {
      legend: {
        position: "bottom",
        // In the order of the series (Chart.js sorts by drawing order otherwise).
        labels: {
          usePointStyle: true, // the legend shows each series' mark: a bar, a line, a point
          boxHeight: 8,
          sort: function (a, b) { return a.datasetIndex - b.datasetIndex; }
        }
      }
    };
    if (reducedMotion()) {
      options.animation = false;
      options.transitions = { active: { animation: { duration: 0 } } };
    }
    return new window.Chart(canvas, config);
  }

  var styled = false;

  function chartReady() {
    if (typeof window.Chart !== "function") { return false; }
    if (!styled) {
      // The page's own type, in its ink colour (Chart.js draws 12px grey text otherwise).
      window.Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
      window.Chart.defaults.font.size = 13;
      window.Chart.defaults.color = INK;
      styled = true;
    }
    return true;
  }

  function canvasesIn(root) {
    var found = Array.prototype.slice.call(root.querySelectorAll("canvas[data-chart]"));
    if (root.matches && root.matches("canvas[data-chart]")) { found.push(root); }
    return found;
  }

  var library = null; // the <script> loading Chart.js after the page, once

  function drawIn(root) {
    if (!root.querySelectorAll) { return; }
    var canvases = canvasesIn(root);
    if (!canvases.length) { return; }
    if (!chartReady()) {
      var source = canvases[0].getAttribute("data-chart-library");
      if (!source) { return; } // the tables still say it all
      if (!library) {
        library = document.createElement("script");
        library.src = source;
        document.head.appendChild(library);
      }
      // By then another swap may have replaced these canvases: draw what the page holds.
      library.addEventListener("load", function () { drawIn(document); });
      return;
    }
    canvases.forEach(function (canvas) {
      // htmx fires its load event for the first page too: each canvas is drawn once.
      if (!window.Chart.getChart(canvas)) { draw(canvas); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawIn(document); });
  document.addEventListener("htmx:load", function (event) { drawIn(event.target); });
  // htmx cleans up each element it swaps out: a chart left behind would keep its canvas, its
  // listeners and its resize observer alive.
  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    var chart = event.target.matches && event.target.matches("canvas[data-chart]") &&
      typeof window.Chart === "function" && window.Chart.getChart(event.target);
    if (chart) { chart.destroy(); }
  });
}());
