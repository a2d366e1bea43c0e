/* The import preview's small chart (ECharts): temperature and RH of at most a few hundred readings of the uploaded
   file, read from #import-chart-data (json_script). Values are numbers and times fixed-format strings. */
(function () {
  "use strict";
  var el = document.getElementById("import-chart");
  var dataEl = document.getElementById("import-chart-data");
  if (!el || !dataEl || typeof echarts === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var series = [];
  if (data.temperature.some(function (v) { return v !== null; })) {
    series.push({ name: "温度（°C）", type: "line", showSymbol: false, data: data.temperature, yAxisIndex: 0 });
  }
  if (data.rh.some(function (v) { return v !== null; })) {
    series.push({ name: "相对湿度（%）", type: "line", showSymbol: false, data: data.rh, yAxisIndex: 1 });
  }
  var chart = echarts.init(el);
  chart.setOption({
    color: ["#c0392b", "#2471a3"],
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 32, bottom: 48 },
    xAxis: { type: "category", data: data.times },
    yAxis: [{ type: "value", name: "°C", scale: true }, { type: "value", name: "%", scale: true, splitLine: { show: false } }],
    dataZoom: [{ type: "inside" }, { type: "slider", height: 16, bottom: 4 }],
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
