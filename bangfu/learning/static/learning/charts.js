/* The people area's charts (ECharts): hours by museum (#museum-hours-data → #museum-hours-chart, horizontal bars)
   and a person's hours by year (#year-hours-data → #year-hours-chart). Data from json_script; every text put into a
   tooltip is escaped (bfEscape, site.js). */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  function esc(s) { return window.bfEscape ? window.bfEscape(s) : String(s).replace(/[&<>"']/g, ""); }
  function rowsOf(id) {
    var source = document.getElementById(id);
    return source ? (JSON.parse(source.textContent) || []) : [];
  }
  function draw(el, option) {
    var chart = echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    chart.setOption(option);
  }
  var museums = document.getElementById("museum-hours-chart"), rows = rowsOf("museum-hours-data");
  if (museums && rows.length) {
    draw(museums, {
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { formatter: function (p) {
        var r = rows[p.dataIndex] || {};
        return esc(p.name) + "：" + esc(p.value) + " 学时（" + esc(r.people) + " 人）";
      } },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.label; }),
               axisLabel: { width: 110, overflow: "truncate" } },
      series: [{ type: "bar", data: rows.map(function (r) { return r.value; }), itemStyle: { color: "#2c6e6a" },
                 label: { show: true, position: "right" } }]
    });
  }
  var years = document.getElementById("year-hours-chart"), byYear = rowsOf("year-hours-data");
  var target = document.getElementById("year-hours-chart") ? Number(years.getAttribute("data-target")) : 0;
  if (years && byYear.length) {
    draw(years, {
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { formatter: function (p) { return esc(p.name) + " 年：" + esc(p.value) + " 学时"; } },
      xAxis: { type: "category", data: byYear.map(function (r) { return r.label; }) },
      yAxis: { type: "value" },
      series: [{ type: "bar", data: byYear.map(function (r) { return r.value; }), itemStyle: { color: "#2c6e6a" },
                 label: { show: true, position: "top" },
                 markLine: target ? { silent: true, symbol: "none", data: [{ yAxis: target, name: "目标" }],
                                      label: { formatter: "目标 " + target } } : undefined }]
    });
  }
}());
