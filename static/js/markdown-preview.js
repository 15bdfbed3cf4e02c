// The lesson body's preview in the admin (courses/widgets.py): the text is posted to the
// admin's preview view, which renders it as the lesson page does (sanitised), and the
// answer replaces the preview under the field: on "Preview", and a moment after typing.
// Listeners are on the document, so that a lesson added on the page (a course's or a
// module's inline item, copied from a template) previews as well as the ones drawn.
(function () {
  "use strict";

  var timers = new WeakMap();

  function refresh(container) {
    var url = container.getAttribute("data-markdown-preview");
    var textarea = container.querySelector("textarea");
    var output = container.querySelector(".markdown-field__preview > div");
    var form = container.closest("form");
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!url || !textarea || !output || !token) return;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token.value);
    body.append("text", textarea.value);
    fetch(url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) output.innerHTML = html; });
  }

  function showButtons() {
    document.querySelectorAll("[data-markdown-preview] .markdown-field__button").forEach(
      function (button) { button.parentNode.hidden = false; }
    );
  }

  function start() {
    showButtons();
    new MutationObserver(showButtons).observe(document.body, { childList: true, subtree: true });
    document.addEventListener("click", function (event) {
      var button = event.target.closest(".markdown-field__button");
      var container = button && button.closest("[data-markdown-preview]");
      if (container) refresh(container);
    });
    document.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA") return;
      var container = event.target.closest("[data-markdown-preview]");
      if (!container) return;
      clearTimeout(timers.get(container));
      timers.set(container, setTimeout(function () { refresh(container); }, 600));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
