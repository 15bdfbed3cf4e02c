/* The language tabs of modeltranslation's tabbed admin forms: each tab says its language in
   full and whether its field is filled ("English — empty", "Français ✓"), as the summary
   above the form does for the whole page; a link of the summary to a field in a hidden tab
   opens that tab. Without JavaScript there are no tabs: every field is shown. */
(function () {
  "use strict";

  function labels() {
    var data = document.getElementById("translation-tab-labels");
    return data ? JSON.parse(data.textContent) : null;
  }

  function fieldOfTab(link) {
    // modeltranslation names each panel "tab_" + the id of its field.
    return document.getElementById((link.getAttribute("href") || "").replace(/^#tab_/, ""));
  }

  function describe(link, words) {
    var field = fieldOfTab(link);
    if (!field) return;
    if (!link.dataset.language) link.dataset.language = link.textContent.trim().replace("-", "_");
    var code = link.dataset.language;
    var name = words[code] || code;
    var empty = !String(field.value || "").trim();
    link.textContent = name + (empty ? " — " + words.empty : " ✓");
    link.classList.toggle("translation-tab-empty", empty);
  }

  function openTabOf(target) {
    var panel = target.closest(".ui-tabs-panel");
    if (!panel || panel.getAttribute("aria-hidden") !== "true") return;
    var tab = document.querySelector('.ui-tabs-nav a[href="#' + panel.id + '"]');
    if (tab) tab.click();
  }

  function start() {
    var words = labels();
    if (!words) return;
    document.querySelectorAll(".ui-tabs-nav a[href^='#tab_']").forEach(function (link) {
      describe(link, words);
      var field = fieldOfTab(link);
      if (field) field.addEventListener("input", function () { describe(link, words); });
    });
    var switcher = document.getElementById("modeltranslation-main-switch");
    if (switcher) switcher.setAttribute("aria-label", words.switch);
    document.querySelectorAll(".translation-status a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) return;
        event.preventDefault();
        openTabOf(target);
        target.focus();
      });
    });
  }

  // modeltranslation builds its tabs on jQuery's ready: after it, on load.
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
