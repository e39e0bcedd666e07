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

  // The HS-code input (taxonomy/hs_code_input.html), in every product form and every row of a formset,
  // rows added later included: the text of its source fields is sent to the suggester (debounced) and a
  // click on a suggested code fills the box.
  function hsSourceName(box, input, source) {
    var name = input.name;
    var base = name.lastIndexOf("-") >= 0 ? name.slice(0, name.lastIndexOf("-") + 1) : "";
    return base + source;
  }

  function hsBoxesFor(target) {
    if (!target.form || !target.name) return [];
    return Array.prototype.filter.call(target.form.querySelectorAll("[data-hs-code]"), function (box) {
      var input = box.querySelector("[data-hs-input]");
      if (!input) return false;
      return (box.dataset.hsSources || "").split(" ").some(function (source) {
        return source && hsSourceName(box, input, source) === target.name;
      });
    });
  }

  function hsSuggest(box) {
    var input = box.querySelector("[data-hs-input]");
    var form = input.form;
    var texts = [];
    (box.dataset.hsSources || "").split(" ").forEach(function (source) {
      var el = source && form.elements[hsSourceName(box, input, source)];
      if (el && el.value && el.value.trim()) texts.push(el.value.trim());
    });
    var target = box.querySelector("[data-hs-suggestions]");
    if (!texts.length) { target.innerHTML = ""; return; }
    var values = { product: texts.join(" ") };
    (box.dataset.hsHints || "").split(" ").forEach(function (hint) {
      var el = hint && form.elements[hint];
      if (el && el.value) values[hint] = el.value;
    });
    (box.dataset.hsFixed || "").split(" ").forEach(function (pair) {
      var parts = pair.split("=");
      if (parts.length === 2 && parts[0]) values[parts[0]] = parts[1];
    });
    window.htmx.ajax("GET", box.dataset.hsUrl, { target: target, swap: "innerHTML", values: values });
  }

  document.addEventListener("input", function (event) {
    if (!window.htmx) return;
    hsBoxesFor(event.target).forEach(function (box) {
      clearTimeout(box._hsTimer);
      box._hsTimer = setTimeout(function () { hsSuggest(box); }, 500);
    });
  });
  document.addEventListener("change", function (event) {
    if (event.target.name && event.target.form) {
      // A hint that changed (the unit) asks again with what is typed.
      Array.prototype.forEach.call(event.target.form.querySelectorAll("[data-hs-code]"), function (box) {
        if ((box.dataset.hsHints || "").split(" ").indexOf(event.target.name) >= 0) hsSuggest(box);
      });
    }
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-hs-code] [data-hs-option-code]");
    if (!option) return;
    var box = option.closest("[data-hs-code]");
    var input = box.querySelector("[data-hs-input]");
    input.value = option.dataset.hsOptionCode;
    input.classList.remove("is-invalid");
    box.querySelector("[data-hs-text]").textContent = option.dataset.hsOptionText || "";
    box.querySelectorAll("[data-hs-option-code]").forEach(function (el) { el.classList.remove("active"); });
    option.classList.add("active");
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  document.addEventListener("input", function (event) {
    // A code typed by hand: the text shown belonged to the code before.
    if (event.target.matches && event.target.matches("[data-hs-input]")) {
      var text = event.target.closest("[data-hs-code]").querySelector("[data-hs-text]");
      if (text) text.textContent = "";
    }
  });

  // Formsets: a button marked data-formset-add="prefix" adds a row from <template data-formset-empty="prefix">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    var prefix = button.dataset.formsetAdd;
    var total = document.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = document.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var template = document.querySelector("template[data-formset-empty='" + prefix + "']");
    var rows = document.querySelector("[data-formset-rows='" + prefix + "']");
    if (!total || !template || !rows) return;
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) { button.disabled = true; return; }
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    if (window.htmx) window.htmx.process(row);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  });

  function init(root) {
    wireAutosubmit(root);
    drawCharts(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    startDatePicker();
    init(document);
    // Buttons that only work with JavaScript are shown by it.
    document.querySelectorAll("[data-formset-add][hidden]").forEach(function (el) { el.hidden = false; });
  });
  document.body && document.body.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
