/* The route of lecture tours on the map of Shanxi: each tour's stops as points joined in date order; done stops
   green, upcoming blue. Data from a json_script element named by the map's data-source. */
(function () {
  "use strict";
  var DONE = "#2f855a", PLANNED = "#2b6cb0";

  /* The view that shows a route: its centre, and a zoom that fits its extent (Shanxi is ~5° wide, ~6.5° tall). */
  function fit(points) {
    var lngs = points.map(function (p) { return p.value[0]; }), lats = points.map(function (p) { return p.value[1]; });
    var minLng = Math.min.apply(null, lngs), maxLng = Math.max.apply(null, lngs);
    var minLat = Math.min.apply(null, lats), maxLat = Math.max.apply(null, lats);
    var span = Math.max((maxLng - minLng) * 1.4, maxLat - minLat, 0.5);
    return { center: [(minLng + maxLng) / 2, (minLat + maxLat) / 2], zoom: Math.max(1.1, Math.min(4, 4.5 / span)) };
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source || !window.echarts || !window.bfMapBase) { return; }
    var points = JSON.parse(source.textContent);
    if (!points.length) { return; }
    var esc = window.bfEscape;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.showLoading({ text: "地图加载中…" });
    var byTour = {};
    points.forEach(function (p) { (byTour[p.tour] = byTour[p.tour] || []).push(p); });
    var lines = [];
    Object.keys(byTour).forEach(function (tour) {
      var route = byTour[tour].slice().sort(function (a, b) { return a.date < b.date ? -1 : 1; });
      for (var i = 1; i < route.length; i++) {
        lines.push({ coords: [route[i - 1].value, route[i].value],
                     lineStyle: { color: route[i].status === "done" ? DONE : PLANNED,
                                  type: route[i].status === "done" ? "solid" : "dashed" } });
      }
    });
    window.bfMapBase.loadBoundaries().then(function () {
      var option = window.bfMapBase.baseOption(el.getAttribute("data-fit") === "route" ? fit(points) : {});
      option.tooltip = { trigger: "item", formatter: function (p) {
        if (p.seriesType !== "scatter") { return ""; }
        var d = p.data;
        return esc(d.date) + " " + esc(d.name) + "<br>" + esc(d.topic) + "<br>" + (d.status === "done" ? "已完成" : "待开展");
      } };
      option.legend = { bottom: 0, data: ["已完成", "待开展"] };
      option.series = [
        { name: "路线", type: "lines", coordinateSystem: "geo", zlevel: 1, silent: true,
          symbol: ["none", "arrow"], symbolSize: 6, lineStyle: { width: 1.6, opacity: 0.8, curveness: 0.1 },
          data: lines },
        { name: "已完成", type: "scatter", coordinateSystem: "geo", zlevel: 2, symbolSize: 11,
          itemStyle: { color: DONE, borderColor: "#fff", borderWidth: 1 },
          data: points.filter(function (p) { return p.status === "done"; }) },
        { name: "待开展", type: "scatter", coordinateSystem: "geo", zlevel: 2, symbolSize: 11,
          itemStyle: { color: PLANNED, borderColor: "#fff", borderWidth: 1 },
          data: points.filter(function (p) { return p.status !== "done"; }) }
      ];
      chart.hideLoading();
      chart.setOption(option, true);
    }).catch(window.bfMapBase.failed(chart));
    chart.on("click", function (p) {
      if (p.seriesType === "scatter" && p.data && p.data.url) { window.location.href = p.data.url; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.querySelectorAll(".tour-map[data-source]").forEach(draw);
})();
