/* The course progress page's chart: how many learners finished each lesson. */
(function () {
  "use strict";
  var el = document.getElementById("course-progress-chart");
  var source = document.getElementById("course-progress-data");
  if (!el || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var esc = window.bfEscape || function (s) { return String(s); };
  var chart = echarts.init(el, null, { renderer: "canvas" });
  chart.setOption({
    grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (items) {
      var p = items[0];
      return esc(p.name) + "：" + esc(p.value) + " / " + esc(data.enrolled) + " 人学完";
    } },
    xAxis: { type: "value", minInterval: 1, max: Math.max(data.enrolled, 1) },
    yAxis: { type: "category", inverse: true, data: data.lessons,
             axisLabel: { width: 120, overflow: "truncate" } },
    series: [{ type: "bar", data: data.done, itemStyle: { color: "#2f855a" }, barMaxWidth: 22,
               label: { show: true, position: "right" } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
