/* The task timeline of a pairing (ECharts): one row per task, a bar from when it was planned to its due date,
   a diamond at the due date, a dot at the completion, the agreement's term shaded and a line for today.
   Draws itself into #timeline-chart from the data in #timeline-data (json_script) when the page has them. */
(function () {
  "use strict";
  var COLORS = { todo: "#a0aec0", doing: "#2b6cb0", done: "#2f855a", cancelled: "#cbd5e0", overdue: "#c53030" };
  var DAY = 86400000;

  function time(iso) { var p = iso.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]); }
  function label(ms) { var d = new Date(ms); return d.getUTCFullYear() + "年" + (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日"; }
  function short(name) { return name.length > 12 ? name.slice(0, 12) + "…" : name; }

  window.bfTaskTimeline = function (el, data) {
    var tasks = data.tasks;
    el.style.height = Math.max(220, 70 + tasks.length * 30) + "px";
    var chart = echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    var names = tasks.map(function (t) { return short(t.name); });
    var bars = tasks.map(function (t, i) {
      return { value: [i, time(t.start), time(t.due) + DAY], task: t,
               itemStyle: { color: t.overdue ? COLORS.overdue : COLORS[t.status] } };
    });
    var dues = tasks.map(function (t, i) {
      return { value: [time(t.due) + DAY / 2, i], task: t, itemStyle: { color: t.overdue ? COLORS.overdue : "#4a5568" } };
    });
    var dones = tasks.filter(function (t) { return t.done; }).map(function (t) {
      return { value: [time(t.done) + DAY / 2, tasks.indexOf(t)], task: t };
    });
    var today = time(data.today) + DAY / 2;
    var start = Math.min(time(data.term[0]), today), end = Math.max(time(data.term[1]) + DAY, today);
    function tip(p) {
      var t = p.data.task;
      var lines = ["<b>" + window.bfEscape(t.name) + "</b>",
                   window.bfEscape(t.status_label) + (t.status === "doing" ? " · " + window.bfEscape(t.progress) + "%" : ""),
                   "截止：" + label(time(t.due))];
      if (t.done) { lines.push("完成：" + label(time(t.done))); }
      if (t.overdue) { lines.push("<span style='color:#c53030'>已逾期</span>"); }
      return lines.join("<br>");
    }
    chart.setOption({
      tooltip: { trigger: "item", formatter: tip },
      grid: { left: 8, right: 24, top: 36, bottom: 28, containLabel: true },
      legend: { top: 0, right: 8, data: ["截止日期", "完成"], selectedMode: false },
      xAxis: { type: "time", min: start - 7 * DAY, max: end + 7 * DAY, axisLabel: { hideOverlap: true,
               formatter: { year: "{yyyy}年", month: "{M}月", day: "{M}月{d}日" } },
               splitLine: { show: true, lineStyle: { color: "#eee" } } },
      yAxis: { type: "category", data: names, inverse: true, axisTick: { show: false },
               axisLabel: { color: function (v, i) { return tasks[i] && tasks[i].overdue ? COLORS.overdue : "#333"; } } },
      series: [
        { type: "custom", name: "计划", data: bars, encode: { x: [1, 2], y: 0 },
          renderItem: function (params, api) {
            var y = api.value(0), from = api.coord([api.value(1), y]), to = api.coord([api.value(2), y]);
            var h = api.size([0, 1])[1] * 0.36;
            return { type: "rect", shape: { x: from[0], y: from[1] - h / 2, width: Math.max(to[0] - from[0], 2), height: h, r: 3 },
                     style: api.style({ opacity: 0.55 }) };
          },
          markArea: { silent: true, itemStyle: { color: "rgba(155,44,44,0.04)" },
                      data: [[{ xAxis: time(data.term[0]) }, { xAxis: time(data.term[1]) + DAY }]] },
          markLine: { silent: true, symbol: "none", lineStyle: { color: "#9b2c2c", type: "dashed" },
                      label: { formatter: "今天", color: "#9b2c2c", position: "start" }, data: [{ xAxis: today }] } },
        { type: "scatter", name: "截止日期", symbol: "diamond", symbolSize: 11, data: dues, z: 3,
          itemStyle: { color: "#4a5568" } },
        { type: "scatter", name: "完成", symbol: "circle", symbolSize: 10, data: dones, z: 4,
          itemStyle: { color: COLORS.done, borderColor: "#fff", borderWidth: 1.5 } }
      ]
    });
    chart.on("click", function (p) { if (p.data && p.data.task) { window.location.href = p.data.task.url; } });
    return chart;
  };
})();

(function () {
  "use strict";
  var el = document.getElementById("timeline-chart"), data = document.getElementById("timeline-data");
  if (el && data) { window.bfTaskTimeline(el, JSON.parse(data.textContent)); }
})();
