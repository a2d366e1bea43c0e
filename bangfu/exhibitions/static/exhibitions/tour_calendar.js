/* The tour calendar of a touring exhibition (ECharts): one row per stop, its held period drawn as set-up, show and
   transit (dismantling and transport to the next venue), the show coloured by status; the free windows shaded and
   a line for today. Reads #tour-calendar-data (json_script), draws into #tour-calendar; clicking a stop opens its
   page when the visitor may see it. Every text put into a tooltip is escaped. */
(function () {
  "use strict";
  var DAY = 86400000;
  var SHOW = { requested: "#d69e2e", accepted: "#2b6cb0", completed: "#2f855a" };
  var PART = { setup: "#a0aec0", transit: "#cbd5e0" };

  function time(iso) { var p = iso.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]); }
  function label(ms) { var d = new Date(ms); return d.getUTCFullYear() + "年" + (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日"; }
  function esc(v) { return window.bfEscape ? window.bfEscape(v) : String(v).replace(/[&<>"']/g, ""); }

  function draw(el, data) {
    var stops = data.stops;
    el.style.height = Math.max(180, 80 + stops.length * 34) + "px";
    var chart = echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    var names = stops.map(function (s) { return s.venue.length > 10 ? s.venue.slice(0, 10) + "…" : s.venue; });
    var bars = [];
    stops.forEach(function (s, i) {
      var parts = [["setup", time(s.held_from), time(s.start), PART.setup, "布展"],
                   ["show", time(s.start), time(s.end) + DAY, SHOW[s.status] || SHOW.accepted, s.status_label],
                   ["transit", time(s.end) + DAY, time(s.held_until) + DAY, PART.transit, "撤展运输"]];
      parts.forEach(function (p) {
        if (p[2] > p[1]) { bars.push({ value: [i, p[1], p[2]], part: p[0], stop: s, name: p[4], itemStyle: { color: p[3] } }); }
      });
    });
    var today = time(data.today) + DAY / 2;
    var xs = [today];
    stops.forEach(function (s) { xs.push(time(s.held_from), time(s.held_until) + DAY); });
    data.windows.forEach(function (w) { xs.push(time(w[0]), time(w[1]) + DAY); });
    var min = Math.min.apply(null, xs), max = Math.max.apply(null, xs);
    function tip(p) {
      var s = p.data.stop;
      return "<b>" + esc(s.venue) + "</b><br>" + esc(s.status_label) + "<br>展期：" + label(time(s.start)) + "—" + label(time(s.end)) +
        "<br>占用：" + label(time(s.held_from)) + "—" + label(time(s.held_until)) + "<br>" + esc(p.data.name);
    }
    chart.setOption({
      tooltip: { trigger: "item", formatter: tip, confine: true },
      grid: { left: 8, right: 20, top: 16, bottom: 28, containLabel: true },
      xAxis: { type: "time", min: min - 10 * DAY, max: max + 10 * DAY,
               axisLabel: { hideOverlap: true, formatter: { year: "{yyyy}年", month: "{M}月", day: "{M}月{d}日" } },
               splitLine: { show: true, lineStyle: { color: "#eee" } } },
      yAxis: { type: "category", data: names.length ? names : [""], inverse: true, axisTick: { show: false } },
      series: [{
        type: "custom", data: bars, encode: { x: [1, 2], y: 0 },
        renderItem: function (params, api) {
          var y = api.value(0), from = api.coord([api.value(1), y]), to = api.coord([api.value(2), y]);
          var full = api.size([0, 1])[1], h = full * (bars[params.dataIndex].part === "show" ? 0.5 : 0.3);
          return { type: "rect", shape: { x: from[0], y: from[1] - h / 2, width: Math.max(to[0] - from[0], 1), height: h },
                   style: api.style() };
        },
        markArea: { silent: true, itemStyle: { color: "rgba(47,133,90,0.07)" },
                    data: data.windows.map(function (w) { return [{ xAxis: time(w[0]) }, { xAxis: time(w[1]) + DAY }]; }) },
        markLine: { silent: true, symbol: "none", lineStyle: { color: "#9b2c2c", type: "dashed" },
                    label: { formatter: "今天", color: "#9b2c2c", position: "start" }, data: [{ xAxis: today }] }
      }]
    });
    chart.on("click", function (p) { if (p.data && p.data.stop && p.data.stop.url) { window.location.href = p.data.stop.url; } });
  }

  var el = document.getElementById("tour-calendar"), data = document.getElementById("tour-calendar-data");
  if (el && data && window.echarts) { draw(el, JSON.parse(data.textContent)); }
})();
