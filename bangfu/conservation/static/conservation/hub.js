/* The conservation hub's chart (ECharts): the requests the user sees, by status. Reads #requests-data
   (json_script) and draws into #requests-chart; labels are escaped in the tooltip. */
(function () {
  "use strict";
  var el = document.getElementById("requests-chart"), source = document.getElementById("requests-data");
  if (!el || !source || !window.echarts) { return; }
  var rows = JSON.parse(source.textContent) || [];
  function esc(s) { return window.bfEscape ? window.bfEscape(s) : String(s).replace(/[&<>"']/g, ""); }
  var chart = echarts.init(el);
  window.addEventListener("resize", function () { chart.resize(); });
  chart.setOption({
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: { formatter: function (p) { return esc(p.name) + "：" + esc(p.value) + " 项"; } },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.label; }) },
    series: [{ type: "bar", data: rows.map(function (r) { return r.value; }), itemStyle: { color: "#2c6e6a" },
               label: { show: true, position: "right" } }]
  });
}());
