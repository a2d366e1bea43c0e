/* Statistics charts (ECharts): museums by grade, by city and programme role. */
(function () {
  "use strict";
  var PALETTE = ["#9b2c2c", "#c05621", "#b7791f", "#718096", "#2f855a", "#2b6cb0", "#6b46c1"];
  function init(el) { var c = echarts.init(el); window.addEventListener("resize", function () { c.resize(); }); return c; }

  window.bfGradeChart = function (el, grades) {
    init(el).setOption({
      color: PALETTE, tooltip: { trigger: "item", formatter: function (p) {
        return window.bfEscape(p.name) + "：" + window.bfEscape(p.value) + " 家（" + window.bfEscape(p.percent) + "%）";
      } },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"], label: { formatter: "{b}\n{c}" }, data: grades }]
    });
  };

  window.bfCityChart = function (el, cities) {
    init(el).setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      // The legend above the bars and the grid sized to hold the rotated labels: a long one (所在市待核实) reached
      // into a legend below.
      legend: { top: 0 },
      grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: cities.names, axisLabel: { interval: 0, rotate: cities.names.length > 6 ? 40 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "帮扶方", type: "bar", stack: "m", color: "#2f855a", data: cities.helpers },
        { name: "受援方", type: "bar", stack: "m", color: "#2b6cb0", data: cities.helped },
        { name: "其他", type: "bar", stack: "m", color: "#cbd5e0", data: cities.others }
      ]
    });
  };
})();
