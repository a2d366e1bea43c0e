/* Maps of Shanxi with ECharts: county boundaries from /geo/counties.json, museums as points. */
(function () {
  "use strict";
  var boundaries = null;
  var ROLE_COLORS = { helper: "#2f855a", helped: "#2b6cb0", both: "#6b46c1", none: "#a0aec0" };
  var ROLE_LABELS = { helper: "帮扶方", helped: "受援方", both: "帮扶方兼受援方", none: "未参与" };

  /* JSON from the platform, refused when the answer is not a JSON success (an error page, a login page after the
     session ended): the map then says so instead of failing on HTML. */
  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      if (!r.ok || type.indexOf("json") === -1) { throw new Error("地图数据加载失败（" + r.status + "）"); }
      return r.json();
    });
  }

  function failed(chart) {
    return function () {
      boundaries = null;  // try again on the next draw
      chart.hideLoading();
      chart.setOption({ title: { text: "地图数据加载失败，请刷新页面重试", left: "center", top: "middle",
                                 textStyle: { color: "#999", fontSize: 14, fontWeight: "normal" } } });
    };
  }

  function loadBoundaries() {
    if (!boundaries) {
      boundaries = getJson("/geo/counties.json").then(function (geo) {
        echarts.registerMap("shanxi", geo);
        return geo;
      });
    }
    return boundaries;
  }

  function baseOption(opts) {
    return {
      tooltip: { trigger: "item", formatter: function (p) {  // HTML: every value escaped (bfEscape, site.js)
        var esc = window.bfEscape;
        if (p.seriesType === "scatter" || p.seriesType === "effectScatter") {
          var d = p.data;
          return esc(d.name) + (d.grade ? "<br>" + esc(d.grade) + " · " + esc(ROLE_LABELS[d.role] || "") : "") +
            (d.precise === false ? "<br><span style='color:#999'>位置为县（市）中心，待精确标定</span>" : "");
        }
        return esc(p.name);
      } },
      geo: {
        map: "shanxi", roam: true, zoom: opts.zoom || 1.1, center: opts.center || undefined,
        itemStyle: { areaColor: "#f3ede4", borderColor: "#b9a88f", borderWidth: 0.6 },
        emphasis: { itemStyle: { areaColor: "#ead9c0" }, label: { show: false } },
        label: { show: false },
        regions: (opts.highlight || []).map(function (name) {
          return { name: name, itemStyle: { areaColor: "#f2c9a5" } };
        })
      },
      series: []
    };
  }

  /* The boundary loader and the base option, for other maps (pairings.js). */
  window.bfMapBase = { loadBoundaries: loadBoundaries, baseOption: baseOption, getJson: getJson, failed: failed };

  /* A map of many museums, coloured by programme role; clicking a point opens its page. */
  window.bfMuseumMap = function (el, url, view) {
    view = view || {};
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.showLoading({ text: "地图加载中…" });
    var render = function (pointsUrl) {
      Promise.all([loadBoundaries(), getJson(pointsUrl)]).then(function (res) {
        var data = res[1].points;
        var option = baseOption({ center: view.center, zoom: view.zoom });
        option.legend = { bottom: 0, data: ["帮扶方", "受援方", "帮扶方兼受援方", "未参与"] };
        ["helper", "helped", "both", "none"].forEach(function (role) {
          option.series.push({
            name: ROLE_LABELS[role], type: "scatter", coordinateSystem: "geo",
            symbolSize: role === "helper" ? 11 : 7, itemStyle: { color: ROLE_COLORS[role], opacity: 0.85 },
            data: data.filter(function (d) { return d.role === role; })
          });
        });
        chart.hideLoading();
        chart.setOption(option, true);
      }).catch(failed(chart));
    };
    render(url);
    chart.on("click", function (p) { if (p.data && p.data.id) { window.location.href = "/museums/" + p.data.id + "/"; } });
    window.addEventListener("resize", function () { chart.resize(); });
    return { chart: chart, reload: render };
  };

  /* One museum's position; when `editable`, a click moves the point and calls onPick(lng, lat). */
  window.bfPositionMap = function (el, point, opts) {
    opts = opts || {};
    var chart = echarts.init(el);
    loadBoundaries().then(function () {
      var option = baseOption({ highlight: opts.highlight, center: point ? point.value : undefined,
                                zoom: point ? (opts.zoom || 3) : 1.1 });
      option.series.push({
        type: "effectScatter", coordinateSystem: "geo", symbolSize: 14,
        itemStyle: { color: "#9b2c2c" }, data: point ? [point] : []
      });
      chart.setOption(option);
      if (opts.editable) {
        chart.getZr().on("click", function (e) {
          var coord = chart.convertFromPixel("geo", [e.offsetX, e.offsetY]);
          if (!coord) { return; }
          var p = { name: point ? point.name : "", value: [coord[0], coord[1]] };
          chart.setOption({ series: [{ data: [p] }] });
          if (opts.onPick) { opts.onPick(coord[0], coord[1]); }
        });
      }
    }).catch(failed(chart));
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  };
})();
