/* Peyvand's only page script: no inline scripts anywhere (Content-Security-Policy). */
(function () {
  "use strict";
  var isRtl = document.documentElement.dir === "rtl";

  function startDatePicker() {
    if (!window.jalaliDatepicker) return;
    window.jalaliDatepicker.startWatch({
      persianDigits: false, // the input stays machine-readable; the server accepts both digit sets
      autoReadOnlyInput: false,
      showTodayBtn: true,
      showEmptyBtn: true,
      zIndex: 1080,
    });
  }

  // Filter forms: selects and checkboxes marked data-autosubmit submit on change.
  function wireAutosubmit(root) {
    root.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      if (el.dataset.wired) return;
      el.dataset.wired = "1";
      el.addEventListener("change", function () { el.form && el.form.requestSubmit(); });
    });
  }

  // Buttons and links marked data-confirm ask before they act.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) { event.preventDefault(); event.stopPropagation(); }
  }, true);

  // Charts: <div class="chart" data-chart="id-of-json-script"> with the ECharts option in a JSON script tag.
  function drawCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var option = JSON.parse(source.textContent);
      option.textStyle = Object.assign({ fontFamily: "Vazirmatn" }, option.textStyle || {});
      if (isRtl) mirror(option);
      // Tooltips drawn by the chart itself: ECharts' HTML tooltips carry inline styles, which the
      // Content-Security-Policy (style-src 'self') refuses.
      if (option.tooltip && !Array.isArray(option.tooltip)) option.tooltip.renderMode = "richText";
      // The dashboard's charts draw on canvas so that ECharts' "save as image" gives a PNG.
      var renderer = option.peyvandRenderer === "canvas" ? "canvas" : "svg";
      var chart = window.echarts.init(el, null, { renderer: renderer, locale: isRtl ? "FA" : "EN" });
      var mapUrls = (option.peyvandMap && option.peyvandMap.urls) || {};
      // A point or a county opens the list behind it: its own url, else the chart's data-click-url.
      chart.on("click", function (params) {
        var url = (params.data && params.data.url) || mapUrls[params.name];
        if (url) { window.location.href = url; return; }
        var key = (params.data && params.data.key) || params.name;
        if (key && el.dataset.clickUrl) {
          window.location.href = el.dataset.clickUrl.replace("__key__", encodeURIComponent(key));
        }
      });
      if (option.peyvandMap) { drawMap(el, chart, option); } else { chart.setOption(option); }
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // A map: its boundaries (GeoJSON served by Peyvand itself, from the database) are registered first.
  function drawMap(el, chart, option) {
    var spec = option.peyvandMap;
    var english = document.documentElement.lang === "en";
    fetch(spec.url, { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (geo) {
        geo.features.forEach(function (feature) {
          var props = feature.properties;
          props.name = english && props.name_en ? props.name_en : props.name;
        });
        window.echarts.registerMap(spec.name, geo);
        chart.setOption(option);
        el.dataset.mapReady = "1";
      })
      .catch(function () { el.textContent = spec.error; el.classList.add("empty-state"); });
  }

  // Right-to-left pages: horizontal bar charts grow from the right with their labels on the right.
  function mirror(option) {
    var y = option.yAxis, x = option.xAxis;
    if (y && !Array.isArray(y) && y.type === "category" && x && !Array.isArray(x)) {
      y.position = "right";
      x.inverse = true;
    } else if (x && !Array.isArray(x) && x.type === "category") {
      x.inverse = true;
      if (y && !Array.isArray(y)) y.position = "right";
    }
    if (option.legend && option.legend.orient === "vertical") option.legend.right = option.legend.left;
    // Persian digits on the axes and in the tooltips, as everywhere else on a Persian page.
    [x, y].forEach(function (axes) {
      (Array.isArray(axes) ? axes : axes ? [axes] : []).forEach(function (axis) {
        axis.axisLabel = axis.axisLabel || {};
        if (!axis.axisLabel.formatter) axis.axisLabel.formatter = function (value) { return persianDigits(value); };
      });
    });
    (Array.isArray(option.series) ? option.series : []).forEach(function (series) {
      // Values only: bars and lines label their numbers; graphs, sankeys and pies label names.
      if (series.label && series.label.show && !series.label.formatter && (series.type === "bar" || series.type === "line")) {
        series.label.formatter = function (params) { return persianDigits(Array.isArray(params.value) ? params.value[params.value.length - 1] : params.value); };
      }
    });
    (Array.isArray(option.visualMap) ? option.visualMap : option.visualMap ? [option.visualMap] : []).forEach(function (visual) {
      if (!visual.formatter) visual.formatter = function (value) { return persianDigits(Math.round(value)); };
    });
    if (option.tooltip && !Array.isArray(option.tooltip) && !option.tooltip.valueFormatter) {
      option.tooltip.valueFormatter = function (value) { return persianDigits(value); };
    }
  }

  function persianDigits(value) {
    var text = typeof value === "number" ? value.toLocaleString("en-US") : String(value);
    return text.replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹".charAt(+d); }).replace(/,/g, "٬").replace(/\./g, "٫");
  }

  function init(root) {
    wireAutosubmit(root);
    drawCharts(root);
  }

  document.addEventListener("DOMContentLoaded", function () { startDatePicker(); init(document); });
  document.body && document.body.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
