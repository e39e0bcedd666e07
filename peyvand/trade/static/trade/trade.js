// A suggested HS code fills the form's HS code field when clicked (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-hs-code]");
    if (!option) return;
    var field = document.querySelector("input[name=hs_code]");
    if (!field) return;
    field.value = option.dataset.hsCode;
    field.dispatchEvent(new Event("change", { bubbles: true }));
    document.querySelectorAll("[data-hs-code]").forEach(function (el) { el.classList.remove("active"); });
    option.classList.add("active");
  });
})();
