/* The ledger chart (ECharts): one quantity of the filtered entries as bars, by area or by month. The data comes with each
   htmx swap of the results (#chart-data); the chosen grouping and measure survive the swaps. */
(function () {
  "use strict";
  var state = { group: "areas", measure: "entries" };
  var chart = null, chartEl = null;

  function controls() {
    var checked = document.querySelector("input[name=chart-group]:checked");
    var measure = document.getElementById("chart-measure");
    return { checked: checked, measure: measure };
  }

  function render() {
    var dataEl = document.getElementById("chart-data");
    var el = document.getElementById("ledger-chart");
    if (!dataEl || !el) { if (chart) { chart.dispose(); chart = null; } return; }
    var c = controls();
    if (el !== chartEl) {  // a fresh fragment: put the remembered choices back on its controls
      var radio = document.querySelector("input[name=chart-group][value=" + state.group + "]");
      if (radio) { radio.checked = true; }
      if (c.measure) { c.measure.value = state.measure; }
    } else {
      if (c.checked) { state.group = c.checked.value; }
      if (c.measure) { state.measure = c.measure.value; }
    }
    if (chart && chartEl !== el) { chart.dispose(); chart = null; }
    if (!chart) { chart = echarts.init(el); chartEl = el; }
    var data = JSON.parse(dataEl.textContent);
    var series = data[state.group];
    var measure = data.measures.filter(function (m) { return m.key === state.measure; })[0] || data.measures[0];
    var byMonth = state.group === "months";
    var narrow = el.clientWidth < 560;
    chart.setOption({
      color: ["#9b2c2c"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
                 valueFormatter: function (v) { return (v || 0).toLocaleString("zh-CN") + " " + measure.unit; } },
      grid: { left: 56, right: 16, top: 24, bottom: byMonth || narrow ? 64 : 40 },
      xAxis: { type: "category", data: series.names,
               axisLabel: { interval: byMonth ? "auto" : 0, rotate: (byMonth && series.names.length > 12) || (!byMonth && narrow) ? 40 : 0 } },
      yAxis: { type: "value", name: measure.unit, minInterval: measure.key === "days" || measure.key === "money_yuan" ? 0 : 1 },
      dataZoom: byMonth && series.names.length > 24 ? [{ type: "slider", height: 18, bottom: 4 }] : [],
      series: [{ name: measure.label, type: "bar", data: series[measure.key], barMaxWidth: 48,
                 label: { show: series.names.length <= 24, position: "top",
                          formatter: function (p) { return p.value ? p.value.toLocaleString("zh-CN") : ""; } } }]
    }, true);
  }

  window.addEventListener("resize", function () { if (chart) { chart.resize(); } });
  window.bfLedgerChart = { render: render };

  /* The ledger list: the export link and the chart follow the filters (each htmx swap of the results). */
  var form = document.getElementById("filters");
  if (!form) { return; }
  function refresh() {
    var exp = document.getElementById("export-link");
    exp.href = exp.dataset.base + "?" + new URLSearchParams(new FormData(form)).toString();
    render();
  }
  form.addEventListener("htmx:afterRequest", refresh);
  document.body.addEventListener("change", function (e) {
    if (e.target.name === "chart-group" || e.target.id === "chart-measure") { render(); }
  });
  refresh();
})();
