/* 远程咨询: questions by area — asked, answered within N days, resolved (ECharts; data from json_script). */
(function () {
  "use strict";
  var el = document.querySelector("[data-testid='area-chart']");
  var data = document.getElementById("consulting-figures");
  if (!el || !data || !window.echarts) { return; }
  var rows = JSON.parse(data.textContent).filter(function (r) { return r.asked > 0; });
  if (!rows.length) { el.textContent = "还没有问题。"; el.classList.add("small", "text-secondary"); el.style.height = "auto"; return; }
  var chart = echarts.init(el);
  window.addEventListener("resize", function () { chart.resize(); });
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (items) {
      return items.map(function (p, i) {
        return (i === 0 ? window.bfEscape(p.name) + "<br>" : "") + p.marker + window.bfEscape(p.seriesName) + "：" + window.bfEscape(p.value);
      }).join("<br>");
    } },
    legend: { top: 0 },
    grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
    series: [
      { name: "提问", type: "bar", color: "#2b6cb0", data: rows.map(function (r) { return r.asked; }) },
      { name: (el.dataset.days || "3") + "天内回答", type: "bar", color: "#b7791f", data: rows.map(function (r) { return r.quick; }) },
      { name: "已解决", type: "bar", color: "#2f855a", data: rows.map(function (r) { return r.resolved; }) }
    ]
  });
})();
