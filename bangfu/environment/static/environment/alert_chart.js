/* The readings around an alert (alerts/detail.html): one line of the alert's parameter, its limit as a dashed
   line, the episode shaded. Data from json_script; tooltip values escaped (bfEscape, site.js). */
(function () {
  "use strict";
  var el = document.getElementById("alert-chart");
  if (!el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(document.getElementById(el.dataset.chart).textContent);
  var esc = window.bfEscape || function (s) { return String(s).replace(/[&<>"']/g, function (c) {
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c]; }); };
  var names = {temperature: "温度 °C", rh: "相对湿度 %", lux: "照度 lx", uv: "紫外 µW/lm"};
  var chart = echarts.init(el);
  var area = [[{xAxis: data.start}, {xAxis: data.end || data.points[data.points.length - 1][0]}]];
  chart.setOption({
    grid: {left: 48, right: 16, top: 24, bottom: 48},
    tooltip: {trigger: "axis", formatter: function (ps) {
      var p = ps[0]; return esc(p.value[0]) + "<br>" +
        esc(names[data.parameter] || "") + "：" + esc(p.value[1] === null ? "—" : p.value[1]); }},
    xAxis: {type: "time", axisLabel: {hideOverlap: true}}, yAxis: {type: "value", scale: true, name: names[data.parameter] || ""},
    dataZoom: [{type: "inside"}, {type: "slider", height: 18, bottom: 8}],
    series: [{type: "line", showSymbol: false, data: data.points, connectNulls: false,
      markArea: {silent: true, itemStyle: {color: "rgba(220,53,69,0.08)"}, data: area},
      markLine: data.limit === null ? undefined : {silent: true, symbol: "none", lineStyle: {type: "dashed", color: "#dc3545"},
        label: {formatter: "限值 " + data.limit, position: "insideEndTop"}, data: [{yAxis: data.limit}]}}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
