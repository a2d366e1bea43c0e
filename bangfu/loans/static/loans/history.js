/* An object's loans on a time axis (ECharts): one bar per loan from its start to its end, void loans grey.
   Reads #history-data (json_script) and draws into #history-chart. */
(function () {
  "use strict";
  var el = document.getElementById("history-chart"), source = document.getElementById("history-data");
  if (!el || !source || !window.echarts) { return; }
  var loans = JSON.parse(source.textContent);
  var DAY = 86400000;
  function time(iso) { var p = iso.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]); }
  function esc(s) { return window.bfEscape ? window.bfEscape(s) : String(s).replace(/[&<>"']/g, ""); }
  el.style.height = Math.max(160, 60 + loans.length * 34) + "px";
  var chart = echarts.init(el);
  window.addEventListener("resize", function () { chart.resize(); });
  chart.setOption({
    grid: { left: 8, right: 16, top: 10, bottom: 30, containLabel: true },
    tooltip: { formatter: function (p) { var l = p.data.loan; return esc(l.name) + "<br>" + esc(l.start) + " – " + esc(l.end) + "<br>" + esc(l.status); } },
    xAxis: { type: "time" },
    yAxis: { type: "category", data: loans.map(function (l) { return l.name.length > 10 ? l.name.slice(0, 10) + "…" : l.name; }), inverse: true },
    series: [{
      type: "custom",
      renderItem: function (params, api) {
        var start = api.coord([api.value(1), api.value(0)]), end = api.coord([api.value(2), api.value(0)]);
        var h = api.size([0, 1])[1] * 0.5;
        return { type: "rect", shape: { x: start[0], y: start[1] - h / 2, width: Math.max(2, end[0] - start[0]), height: h }, style: api.style() };
      },
      encode: { x: [1, 2], y: 0 },
      data: loans.map(function (l, i) {
        return { value: [i, time(l.start), time(l.end) + DAY], loan: l, itemStyle: { color: l.void ? "#cbd5e0" : "#9b2c2c" } };
      })
    }]
  });
}());
