/* The organiser's charts (ECharts): attendance per session, participants by museum, feedback averages. Each reads
   its json_script block; labels are escaped in tooltips. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  function esc(s) { return window.bfEscape ? window.bfEscape(s) : String(s).replace(/[&<>"']/g, ""); }
  function bars(chartId, dataId, unit, max) {
    var el = document.getElementById(chartId), source = document.getElementById(dataId);
    if (!el || !source) { return; }
    var rows = JSON.parse(source.textContent) || [];
    var chart = echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    chart.setOption({
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      tooltip: { formatter: function (p) { return esc(p.name) + "：" + esc(p.value) + unit; } },
      xAxis: { type: "value", minInterval: 1, max: max },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.label; }),
               axisLabel: { width: 110, overflow: "truncate" } },
      series: [{ type: "bar", data: rows.map(function (r) { return r.value; }), itemStyle: { color: "#2c6e6a" },
                 label: { show: true, position: "right" } }]
    });
  }
  bars("attendance-chart", "attendance-data", " 人", null);
  bars("museum-chart", "museum-data", " 人", null);
  bars("feedback-chart", "feedback-data", " 分", 5);
}());
