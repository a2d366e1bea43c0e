/* The environment charts (ECharts). #env-series (data-url: the room's chart JSON) draws temperature and RH over
   time (and illuminance below when measured), zoomable, with the limits as dashed lines. The points are
   rollups.series' own: [ISO time, t, rh, lux] for raw readings, [ISO start, t_mean, rh_mean, lux_mean, t_min, t_max,
   rh_min, rh_max, lux_max] for hourly/daily roll-ups — the means are drawn, times shown in China time (UTC+8); #env-daily each day's
   minimum and maximum; #env-scatter temperature against RH with the target box; #env-pests the pest counts per
   month (#env-pests-data). Every text put in a tooltip is escaped. */
(function () {
  "use strict";
  var COLORS = ["#c53030", "#2b6cb0", "#2f855a", "#b7791f", "#6b46c1", "#718096"];
  function esc(s) { return window.bfEscape ? window.bfEscape(s) : String(s).replace(/[&<>"']/g, ""); }
  function init(el) {
    var chart = echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }
  function fmt(v, d) { return v === null || v === undefined ? "—" : Number(v).toFixed(d); }
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  // China time whatever the browser's zone: the data are a Chinese museum's. Times are shifted by eight hours and
  // the charts drawn with `useUTC`, so the axis ticks fall on China's midnights and hours, and the tooltip agrees.
  var CHINA = 8 * 3600000;
  function when(ms) { var d = new Date(ms); return (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日 " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()); }
  function ms(iso) { return Date.parse(iso) + CHINA; }
  // A break in the line where a sensor sent nothing for a while (three times its usual interval, at least two
  // hours): a straight line across a day without readings would show values nobody measured.
  function withGaps(pts) {
    if (pts.length < 3) { return pts; }
    var steps = [];
    for (var j = 1; j < pts.length; j += 1) { steps.push(pts[j][0] - pts[j - 1][0]); }
    steps.sort(function (a, b) { return a - b; });
    var limit = Math.max(3 * steps[Math.floor(steps.length / 2)], 2 * 3600000), out = [pts[0]];
    for (var k = 1; k < pts.length; k += 1) {
      if (pts[k][0] - pts[k - 1][0] > limit) { out.push([pts[k - 1][0] + 1, null]); }
      out.push(pts[k]);
    }
    return out;
  }
  var MEANS = { hour: "（小时平均）", day: "（日平均）" };

  function limitLines(range, color, unit, where) {
    var lines = [];
    if (range && range[0] !== null) { lines.push({ yAxis: range[0], name: "下限 " + range[0] + unit }); }
    if (range && range[1] !== null) { lines.push({ yAxis: range[1], name: "上限 " + range[1] + unit }); }
    return { symbol: "none", silent: true, lineStyle: { type: "dashed", color: color }, label: { formatter: function (p) { return esc(p.name); }, position: where || "insideEndTop", color: color, fontSize: 10 }, data: lines };
  }

  // An axis bound that keeps the limit in view: the data's extent widened to the limit (and a margin).
  function around(range, side, margin) {
    return function (v) {
      var limit = range ? range[side] : null, edge = side === 0 ? v.min : v.max;
      if (limit === null || limit === undefined) { return side === 0 ? Math.floor(edge - margin / 2) : Math.ceil(edge + margin / 2); }
      return side === 0 ? Math.floor(Math.min(edge, limit) - margin) : Math.ceil(Math.max(edge, limit) + margin);
    };
  }

  function drawSeries(el, data) {
    var hasLux = false, series = [], i = 0;
    data.sensors.forEach(function (s) {
      var pts = data.points[String(s.id)] || [];
      if (pts.some(function (p) { return p[3] !== null; })) { hasLux = true; }
    });
    data.sensors.forEach(function (s, k) {
      var pts = data.points[String(s.id)] || [];
      if (!pts.length) { return; }
      series.push({ name: s.name + " 温度", type: "line", showSymbol: false, xAxisIndex: 0, yAxisIndex: 0, color: COLORS[(2 * k) % COLORS.length],
        data: withGaps(pts.map(function (p) { return [ms(p[0]), p[1]]; })), markLine: i === 0 ? limitLines(data.limits.temperature, "#c53030", "°C") : undefined, sensor: s.name, unit: "°C" });
      series.push({ name: s.name + " 湿度", type: "line", showSymbol: false, xAxisIndex: 0, yAxisIndex: 1, color: COLORS[(2 * k + 1) % COLORS.length],
        data: withGaps(pts.map(function (p) { return [ms(p[0]), p[2]]; })), markLine: i === 0 ? limitLines(data.limits.rh, "#2b6cb0", "%", "insideStartTop") : undefined, unit: "%" });
      if (hasLux) {
        series.push({ name: s.name + " 照度", type: "line", showSymbol: false, xAxisIndex: 1, yAxisIndex: 2, color: "#b7791f",
          data: withGaps(pts.map(function (p) { return [ms(p[0]), p[3]]; })), markLine: i === 0 ? limitLines(data.limits.lux, "#b7791f", "lx") : undefined, unit: "lx" });
      }
      i += 1;
    });
    if (!series.length) { el.innerHTML = '<div class="text-secondary small p-3">这段时间没有读数。</div>'; return; }
    var grids = hasLux ? [{ left: 48, right: 48, top: 52, height: "46%" }, { left: 48, right: 48, top: "68%", height: "14%" }]
      : [{ left: 48, right: 48, top: 52, bottom: 70 }];
    var xAxes = [{ type: "time", gridIndex: 0, axisLabel: { hideOverlap: true } }];
    var yAxes = [{ type: "value", name: "°C", scale: true, gridIndex: 0, min: around(data.limits.temperature, 0, 1), max: around(data.limits.temperature, 1, 1) },
      { type: "value", name: "%", scale: true, gridIndex: 0, splitLine: { show: false }, min: around(data.limits.rh, 0, 2), max: around(data.limits.rh, 1, 2) }];
    if (hasLux) { xAxes.push({ type: "time", gridIndex: 1, axisLabel: { hideOverlap: true } }); yAxes.push({ type: "value", name: "lx", gridIndex: 1, splitNumber: 2 }); }
    var axisIndex = hasLux ? [0, 1] : [0];
    init(el).setOption({
      animation: false, useUTC: true,
      legend: { type: "scroll", top: 0 },
      grid: grids, xAxis: xAxes, yAxis: yAxes, series: series,
      tooltip: { trigger: "axis", formatter: function (items) {
        if (!items.length) { return ""; }
        return esc(when(items[0].value[0]) + (MEANS[data.resolution] || "")) + items.map(function (p) {
          return "<br>" + p.marker + esc(p.seriesName) + "：" + esc(fmt(p.value[1], 1));
        }).join("");
      } },
      dataZoom: [{ type: "inside", xAxisIndex: axisIndex }, { type: "slider", xAxisIndex: axisIndex, bottom: 8, height: 22 }]
    });
  }

  function drawDaily(el, data) {
    if (!data.daily.length) { el.innerHTML = '<div class="text-secondary small p-3">没有每日数据。</div>'; return; }
    // Every calendar day from the first to the last, a day without readings left empty (the lines break there)
    // instead of its neighbours drawn side by side.
    var byDay = {}, rows = [];
    data.daily.forEach(function (d) { byDay[d.day] = d; });
    var day = new Date(data.daily[0].day + "T00:00:00Z"), last = new Date(data.daily[data.daily.length - 1].day + "T00:00:00Z");
    for (var n = 0; day <= last && n < 4000; n++) {
      var key = day.toISOString().slice(0, 10);
      rows.push(byDay[key] || { day: key });
      day = new Date(day.getTime() + 86400000);
    }
    var days = rows.map(function (d) { return d.day.slice(5); });
    function col(key) { return rows.map(function (d) { return d[key] === null || d[key] === undefined ? null : Math.round(d[key] * 10) / 10; }); }
    init(el).setOption({
      animation: false, legend: { top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 40, right: 40, top: 52, bottom: 24 },
      tooltip: { trigger: "axis", formatter: function (items) {
        return esc(items[0].axisValue) + items.map(function (p) { return "<br>" + p.marker + esc(p.seriesName) + "：" + esc(fmt(p.value, 1)); }).join("");
      } },
      xAxis: { type: "category", data: days },
      yAxis: [{ type: "value", name: "°C", scale: true }, { type: "value", name: "%", scale: true, splitLine: { show: false } }],
      series: [
        { name: "温度最高", type: "line", data: col("t_max"), color: "#c53030", showSymbol: false },
        { name: "温度最低", type: "line", data: col("t_min"), color: "#ed8936", showSymbol: false },
        { name: "湿度最高", type: "line", yAxisIndex: 1, data: col("rh_max"), color: "#2b6cb0", showSymbol: false },
        { name: "湿度最低", type: "line", yAxisIndex: 1, data: col("rh_min"), color: "#63b3ed", showSymbol: false }
      ]
    });
  }

  function drawScatter(el, data) {
    var pts = [];
    Object.keys(data.points).forEach(function (k) {
      data.points[k].forEach(function (p) { if (p[1] !== null && p[2] !== null) { pts.push([p[1], p[2]]); } });
    });
    if (!pts.length) { el.innerHTML = '<div class="text-secondary small p-3">没有同时测量温度和湿度的读数。</div>'; return; }
    var step = Math.max(1, Math.floor(pts.length / 3000));
    pts = pts.filter(function (_, i) { return i % step === 0; });
    var t = data.limits.temperature, rh = data.limits.rh, box = [];
    if ((t[0] !== null || t[1] !== null) && (rh[0] !== null || rh[1] !== null)) {
      box = [[{ xAxis: t[0] === null ? "min" : t[0], yAxis: rh[0] === null ? "min" : rh[0], name: "目标范围" },
              { xAxis: t[1] === null ? "max" : t[1], yAxis: rh[1] === null ? "max" : rh[1] }]];
    }
    init(el).setOption({
      animation: false, grid: { left: 44, right: 16, top: 24, bottom: 36 },
      tooltip: { formatter: function (p) { return esc(fmt(p.value[0], 1)) + " °C，" + esc(fmt(p.value[1], 0)) + " %"; } },
      xAxis: { type: "value", name: "°C", scale: true, nameLocation: "middle", nameGap: 24 },
      yAxis: { type: "value", name: "%", scale: true },
      series: [{ type: "scatter", symbolSize: 3, data: pts, color: "rgba(43,108,176,0.45)", large: true,
        markArea: { silent: true, itemStyle: { color: "rgba(47,133,90,0.12)", borderColor: "#2f855a", borderWidth: 1 },
          label: { formatter: function (p) { return esc(p.name); }, color: "#2f855a" }, data: box } }]
    });
  }

  function drawPests(el, trend) {
    init(el).setOption({
      animation: false, grid: { left: 40, right: 16, top: 16, bottom: 28 },
      tooltip: { trigger: "axis", formatter: function (items) { return esc(items[0].axisValue) + "：" + esc(items[0].value) + " 只"; } },
      xAxis: { type: "category", data: trend.months }, yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: trend.counts, color: "#9b2c2c" }]
    });
  }

  if (!window.echarts) { return; }
  var seriesEl = document.getElementById("env-series");
  if (seriesEl && seriesEl.dataset.url) {
    fetch(seriesEl.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        drawSeries(seriesEl, data);
        var daily = document.getElementById("env-daily"), scatter = document.getElementById("env-scatter");
        if (daily) { drawDaily(daily, data); }
        if (scatter) { drawScatter(scatter, data); }
        seriesEl.setAttribute("data-drawn", "1");
      })
      .catch(function () { seriesEl.innerHTML = '<div class="text-danger small p-3">图表数据读取失败，请刷新重试。</div>'; });
  }
  var pestsEl = document.getElementById("env-pests"), pestsData = document.getElementById("env-pests-data");
  if (pestsEl && pestsData) { drawPests(pestsEl, JSON.parse(pestsData.textContent)); }
}());
