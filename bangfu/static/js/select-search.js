/* Long choice lists can be searched by typing, with pinyin.
 *
 * Every <select data-search-select>, and every single select with more than THRESHOLD options, becomes a Tom Select
 * (vendored, complete build for its dropdown_input plugin; script and theme are loaded only on pages that have such
 * a select). Options may carry
 * data-pinyin (full spelling) and data-initials (bangfu.core.widgets.SearchableSelect and the `options` filter
 * write them), so "sxbwy", "shanxi" or "shan xi" find 山西博物院. Pages only mark their selects: no inline script.
 *
 * The native select stays in the form and keeps its value, so forms, htmx filters and pages' own scripts work as
 * before. Two things pages do to a native select are followed: options they hide (a county list narrowed to the
 * chosen city) are not offered, and a value they set is shown.
 */
(function () {
  "use strict";
  var THRESHOLD = 30;  // the same number as bangfu.core.widgets.SEARCH_THRESHOLD
  var me = document.currentScript;
  var library = null;

  function load() {
    if (window.TomSelect) { return Promise.resolve(); }
    if (!library) {
      library = new Promise(function (resolve, reject) {
        var css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = me.dataset.css;
        document.head.appendChild(css);
        var js = document.createElement("script");
        js.src = me.dataset.js;
        js.onload = resolve;
        js.onerror = reject;
        document.head.appendChild(js);
      });
    }
    return library;
  }

  function wanted(select) {
    return !select.multiple && !select.tomselect && !select.hasAttribute("data-no-search")
      && (select.hasAttribute("data-search-select") || select.options.length > THRESHOLD);
  }

  function make(select) {
    if (select.tomselect) { return; }
    var count = select.options.length;
    var ts = new window.TomSelect(select, {
      searchField: ["text", "pinyin", "initials"],
      allowEmptyOption: true,  // "全部…" and "请选择" stay choosable: they clear the choice
      maxOptions: Math.min(Math.max(count, 50), 1000),
      selectOnTab: true,
      plugins: ["dropdown_input"],  // the search box opens inside the list: the control keeps showing the choice
      render: {
        no_results: function () { return '<div class="no-results">没有匹配的选项，可输入名称、拼音或拼音首字母</div>'; },
        option: function (data, escape) { return "<div>" + escape(data.text) + "</div>"; },
        item: function (data, escape) { return "<div>" + escape(data.text) + "</div>"; }
      }
    });
    ts.control_input.setAttribute("placeholder", "输入名称或拼音搜索");
    if (!ts.control_input.hasAttribute("aria-labelledby")) {  // Tom Select passes a <label> on to the input
      ts.control_input.setAttribute("aria-label", "搜索" + (select.getAttribute("aria-label") || ""));
    }
    // Options the page hides on the native select (o.hidden) are not offered either.
    var search = ts.search.bind(ts);
    ts.search = function (query) {
      var result = search(query);
      result.items = result.items.filter(function (item) {
        var data = ts.options[item.id];
        return !(data && data.$option && data.$option.hidden);
      });
      return result;
    };
  }

  function enhance(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var selects = Array.prototype.filter.call(scope.querySelectorAll("select"), wanted);
    if (scope.tagName === "SELECT" && wanted(scope)) { selects.push(scope); }
    if (!selects.length) { return; }
    load().then(function () { selects.forEach(make); });
  }

  // A page script that sets a select's value and announces it with a change event (or changes another select,
  // as the city select narrows the counties): show the native value after the page's own handlers have run.
  document.addEventListener("change", function () {
    window.setTimeout(function () {
      Array.prototype.forEach.call(document.querySelectorAll("select.tomselected"), function (select) {
        var ts = select.tomselect;
        if (ts && ts.getValue() !== select.value) { ts.setValue(select.value, true); }
      });
    }, 0);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
  window.bfSearchSelects = enhance;
})();
