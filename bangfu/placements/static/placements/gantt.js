/* The placements page's timeline (ECharts): each current placement as a bar from its start to its end, today
   marked. Reads #placements-gantt-data and #placements-today (json_script); a bar opens the placement's page.
   Labels are escaped in the tooltip (bfEscape, site.js). */
(function () {
  "use strict";
  var el = document.getElementById("placements-gantt"), source = document.getElementById("placements-gantt-data");
  if (!el || !source || !window.echarts) { return; }
  var rows = JSON.parse(source.textContent) || [];
  var todayText = JSON.parse(document.getElementById("placements-today").textContent);
  function esc(s) { return window.bfEscape ? window.bfEscape(s) : String(s).replace(/[&<>"']/g, ""); }
  function day(text) { return Math.round(Date.parse(text + "T00:00:00Z") / 86400000); }
  function label(n) { var d = new Date(n * 86400000); return d.getUTCFullYear() + "年" + (d.getUTCMonth() + 1) + "月"; }
  var starts = rows.map(function (r) { return day(r.start); });
  var ends = rows.map(function (r) { return day(r.end) + 1; });
  var today = day(todayText);
  var min = Math.min.apply(null, starts.concat([today])) - 7, max = Math.max.apply(null, ends.concat([today])) + 7;
  var chart = echarts.init(el);
  window.addEventListener("resize", function () { chart.resize(); });
  chart.setOption({
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: { formatter: function (p) {
      var r = rows[p.dataIndex];
      return esc(r.label) + "<br>" + esc(r.kind) + " · " + esc(r.status) + "<br>" + esc(r.start) + " 至 " + esc(r.end);
    } },
    xAxis: { type: "value", min: min, max: max, axisLabel: { formatter: label, hideOverlap: true }, splitNumber: 4 },
    yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.label; }),
             axisLabel: { width: el.clientWidth < 500 ? 90 : 160, overflow: "truncate" } },
    series: [
      { type: "bar", stack: "t", silent: true, itemStyle: { color: "transparent" },
        data: starts.map(function (s) { return s - min; }), tooltip: { show: false } },
      { type: "bar", stack: "t", barMaxWidth: 18,
        data: rows.map(function (r, i) {
          return { value: ends[i] - starts[i],
                   itemStyle: { color: r.kind === "挂职锻炼" ? "#b5651d" : "#2c6e6a" } };
        }),
        markLine: { symbol: "none", silent: true, lineStyle: { color: "#c0392b", type: "dashed" },
                    label: { formatter: "今天", position: "insideEndTop" }, data: [{ xAxis: today - min }] } }
    ]
  });
  // The stacked bars count from the axis' start: shift the axis labels by `min`.
  chart.setOption({ xAxis: { min: 0, max: max - min, splitNumber: el.clientWidth < 500 ? 2 : 5,
                           axisLabel: { formatter: function (v) { return label(v + min); } } } });
  chart.on("click", function (p) { if (p.seriesIndex === 1 && rows[p.dataIndex]) { window.location.href = rows[p.dataIndex].url; } });
}());
