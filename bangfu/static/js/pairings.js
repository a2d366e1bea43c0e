/* The pairings map: each pairing as a line from the helper to the helped museum on the Shanxi map (maps.js). */
(function () {
  "use strict";
  var STATUS = {
    proposed: { label: "提议中", color: "#d69e2e", type: "dashed", width: 2 },
    agreed: { label: "已签约", color: "#3182ce", type: "solid", width: 2 },
    active: { label: "进行中", color: "#2f855a", type: "solid", width: 2.4 },
    completed: { label: "已完成", color: "#6b46c1", type: "solid", width: 1.6 },
    ended: { label: "提前终止", color: "#a0aec0", type: "dotted", width: 1.4 },
    suggested: { label: "推荐结对", color: "#c53030", type: "dashed", width: 2.4 },
    existing: { label: "已有结对", color: "#718096", type: "solid", width: 1.2, opacity: 0.45 }
  };
  var ORDER = ["suggested", "proposed", "agreed", "active", "completed", "ended", "existing"];

  var esc = window.bfEscape;  // site.js

  function tooltip(p) {
    var d = p.data || {};
    if (p.seriesType === "lines") {
      var parts = [];
      if (d.kind) { parts.push(esc(d.kind) + (d.primary === false ? "（协助帮扶）" : "")); }
      if (d.km != null) { parts.push(Math.round(d.km) + " 公里"); }
      var html = (d.group === "suggested" ? "推荐：" : "") + esc(d.helperName) + " → " + esc(d.helpedName) +
        "<br>" + esc(d.statusLabel) + (parts.length ? " · " + parts.join(" · ") : "");
      if (d.areas && d.areas.length) { html += "<br>匹配领域：" + d.areas.map(esc).join("、"); }
      if (d.id) { html += "<br><span style='color:#999'>点击查看结对详情</span>"; }
      return html;
    }
    if (p.seriesType === "scatter") { return esc(d.name) + "<br>" + (d.role === "helper" ? "帮扶方" : "受援方"); }
    return esc(p.name);
  }

  /* lines: [{id?, status, status_label, kind?, primary?, km, areas?, helper: {id, name, value}, helped: {...}}];
     group: the key of STATUS to draw them as (default: each line's own status). */
  function buildSeries(groups) {
    var series = [], legend = [], points = {};
    ORDER.forEach(function (key) {
      var style = STATUS[key], data = [];
      (groups[key] || []).forEach(function (l) {
        data.push({
          coords: [l.helper.value, l.helped.value], id: l.id, group: key, kind: l.kind, primary: l.primary,
          km: l.km, areas: l.areas, helperName: l.helper.name, helpedName: l.helped.name,
          statusLabel: l.status_label || style.label
        });
        points[l.helper.id] = points[l.helper.id] || { id: l.helper.id, name: l.helper.name, value: l.helper.value, role: "helper" };
        points[l.helped.id] = points[l.helped.id] || { id: l.helped.id, name: l.helped.name, value: l.helped.value, role: "helped" };
      });
      if (!data.length) { return; }
      legend.push(style.label);
      series.push({
        name: style.label, type: "lines", coordinateSystem: "geo", zlevel: key === "existing" ? 0 : 1,
        symbol: ["none", "arrow"], symbolSize: 6, large: data.length > 2000,
        lineStyle: { color: style.color, width: style.width, type: style.type, opacity: style.opacity || 0.9,
                     curveness: 0.12 },
        emphasis: { lineStyle: { width: style.width + 2 } },
        data: data
      });
    });
    var all = Object.keys(points).map(function (k) { return points[k]; });
    series.push({
      name: "帮扶方", type: "scatter", coordinateSystem: "geo", symbolSize: 10, zlevel: 2,
      itemStyle: { color: "#2f855a", borderColor: "#fff", borderWidth: 1 },
      data: all.filter(function (p) { return p.role === "helper"; })
    });
    series.push({
      name: "受援方", type: "scatter", coordinateSystem: "geo", symbolSize: 7, zlevel: 2,
      itemStyle: { color: "#2b6cb0", borderColor: "#fff", borderWidth: 1 },
      data: all.filter(function (p) { return p.role === "helped"; })
    });
    return { series: series, legend: legend.concat(["帮扶方", "受援方"]) };
  }

  function byStatus(lines) {
    var groups = {};
    lines.forEach(function (l) { (groups[l.status] = groups[l.status] || []).push(l); });
    return groups;
  }

  /* source: a URL answering {lines: [...]}, or {proposed: [...], existing: [...]} (the suggestions page).
     opts.pairingUrl: "/pairings/{id}/", opened when a line of a saved pairing is clicked. */
  window.bfPairingMap = function (el, source, opts) {
    opts = opts || {};
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.showLoading({ text: "地图加载中…" });
    var draw = function (groups) {
      var built = buildSeries(groups);
      var option = window.bfMapBase.baseOption({});
      option.tooltip = { trigger: "item", formatter: tooltip };
      option.legend = { bottom: 0, data: built.legend, type: "scroll" };
      option.series = built.series;
      chart.hideLoading();
      chart.setOption(option, true);
    };
    var render = function (src) {
      var data = typeof src === "string"
        ? window.bfMapBase.getJson(src).then(function (d) { return byStatus(d.lines); })
        : Promise.resolve({ suggested: src.proposed || [], existing: src.existing || [] });
      Promise.all([window.bfMapBase.loadBoundaries(), data]).then(function (res) { draw(res[1]); })
        .catch(window.bfMapBase.failed(chart));
    };
    render(source);
    chart.on("click", function (p) {
      var d = p.data || {};
      if (p.seriesType === "lines" && d.id && opts.pairingUrl) {
        window.location.href = opts.pairingUrl.replace("{id}", d.id);
      } else if (p.seriesType === "scatter" && d.id) {
        window.location.href = "/museums/" + d.id + "/";
      }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    return { chart: chart, reload: render };
  };
})();
