/* The counts per grade of the objects list (ECharts), redrawn after each htmx swap of the results. */
(function () {
  "use strict";
  var chart = null, chartEl = null;
  function render() {
    var dataEl = document.getElementById("grade-data");
    var el = document.getElementById("grade-chart");
    if (!dataEl || !el || typeof echarts === "undefined") { return; }
    if (chart && chartEl !== el) { chart.dispose(); chart = null; }
    if (!chart) { chart = echarts.init(el); chartEl = el; }
    var data = JSON.parse(dataEl.textContent);
    chart.setOption({
      color: ["#9b2c2c"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
                 valueFormatter: function (v) { return (v || 0).toLocaleString("zh-CN") + " 件/套"; } },
      grid: { left: 40, right: 12, top: 16, bottom: 28 },
      xAxis: { type: "category", data: data.map(function (d) { return d.label; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", barMaxWidth: 40, data: data.map(function (d) { return d.count; }),
                 label: { show: true, position: "top" } }]
    }, true);
  }
  window.addEventListener("resize", function () { if (chart) { chart.resize(); } });
  document.addEventListener("htmx:afterSettle", render);
  render();
})();
