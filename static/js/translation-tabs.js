/* The language tabs of modeltranslation's tabbed admin forms: each tab says its language in
   full and whether its field is filled ("English — empty", "Français ✓"), as the summary
   above the form does for the whole page; a link of the summary to a field in a hidden tab
   opens that tab. Without JavaScript there are no tabs: every field is shown.

   jQuery UI makes each <li> the tab (role="tab", focusable, arrow keys) and leaves a link
   inside it: a focusable control within a control, which screen readers announce twice
   (axe: nested-interactive). Once the tabs are built, the link loses its href (kept in
   data-tab-panel): clicking the tab still switches it, through jQuery UI's handler, which
   finds the panel by the tab's aria-controls, and which is told that such a link points
   into the page (else it would fetch the panel's content, as for a remote tab). Tabs made
   later, for an inline item added on the page, are treated the same way.

   An item added inside an item that was itself added on the page (a lesson in a new module)
   is a copy of a template whose tabs modeltranslation built while the template's ids still
   held "__prefix__": the copy's panels may keep those ids (shared by every such copy), and
   its tabs are the template's widget, not its own, so a language can stay hidden. Tabs
   whose widget belongs to another element are given their real ids and built again for
   the copy (repairCopiedTabs). */
(function () {
  "use strict";

  function labels() {
    var data = document.getElementById("translation-tab-labels");
    return data ? JSON.parse(data.textContent) : null;
  }

  function fieldOfTab(link) {
    // modeltranslation names each panel "tab_" + the id of its field.
    var tab = link.closest("[role=tab]");
    var panel = tab ? tab.getAttribute("aria-controls") || "" : "";
    return document.getElementById(panel.replace(/^tab_/, ""));
  }

  function keepTabsLocal() {
    var $ = window.jQuery || (window.django && window.django.jQuery);
    var tabs = $ && $.ui && $.ui.tabs && $.ui.tabs.prototype;
    if (!tabs || tabs._repereLocal) return;
    var isLocal = tabs._isLocal;
    tabs._isLocal = function (anchor) {
      return anchor.hasAttribute("data-tab-panel") || isLocal.call(this, anchor);
    };
    tabs._repereLocal = true;
  }

  function unnest(link) {
    keepTabsLocal();
    if (!link.hasAttribute("href")) return;
    link.dataset.tabPanel = link.getAttribute("href");
    link.removeAttribute("href");
  }

  function repairCopiedTabs(root) {
    var $ = window.jQuery || (window.django && window.django.jQuery);
    if (!$ || !$.fn.tabs) return;
    root.querySelectorAll(".ui-tabs").forEach(function (container) {
      if (container.closest(".djn-empty-form, .empty-form")) return;
      var widget = $(container).data("ui-tabs");
      if (widget && widget.element[0] === container) return;
      // A copy: its panels take the ids of their own fields, its tabs point to them.
      container.querySelectorAll(":scope > .ui-tabs-panel").forEach(function (panel) {
        var field = panel.querySelector(".mt[id]");
        if (!field) return;
        var id = "tab_" + field.id;
        container.querySelectorAll(":scope > ul > [role=tab]").forEach(function (tab) {
          if (tab.getAttribute("aria-controls") !== panel.id) return;
          tab.setAttribute("aria-controls", id);
          var link = tab.querySelector("a");
          if (link) {
            link.removeAttribute("data-tab-panel");
            link.setAttribute("href", "#" + id);
          }
        });
        panel.id = id;
      });
      // The copy carries the template's widget (jQuery copies data and handlers with the
      // element, and the template's handlers look for panels in the template): forget
      // both, and build the copy's own widget, its first language shown.
      $(container).removeData("ui-tabs");
      $(container).find("> ul, > ul > li, > ul > li > a, > .ui-tabs-panel").off();
      $(container).find("> ul > li > a").each(function () {
        if (!this.hasAttribute("href") && this.dataset.tabPanel) {
          this.setAttribute("href", this.dataset.tabPanel);
        }
      });
      $(container).tabs({ active: 0 });
    });
  }

  function prepare(root, words) {
    repairCopiedTabs(root);
    root.querySelectorAll(".ui-tabs-nav [role=tab] > a[href]").forEach(function (link) {
      if (words) {
        describe(link, words);
        var field = fieldOfTab(link);
        if (field) field.addEventListener("input", function () { describe(link, words); });
      }
      unnest(link);
    });
    var switcher = document.getElementById("modeltranslation-main-switch");
    if (words && switcher && !switcher.hasAttribute("aria-label")) {
      switcher.setAttribute("aria-label", words.switch);
    }
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
    var tab = document.querySelector('.ui-tabs-nav [role=tab][aria-controls="' + panel.id + '"] > a');
    if (tab) tab.click();
  }

  function start() {
    var words = labels();
    prepare(document, words);
    // modeltranslation may build the tabs after this runs (jQuery's ready can come late),
    // and builds an added item's tabs in the click's handler: the observer's callback runs
    // once that script is done, the tabs built.
    new MutationObserver(function () { prepare(document, words); }).observe(document.body, {
      childList: true,
      subtree: true,
    });
    if (!words) return;
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
