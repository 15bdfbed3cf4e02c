// The lesson body's preview in the admin (courses/widgets.py): the text is posted to the
// admin's preview view, which renders it as the lesson page does (sanitised), and the
// answer replaces the preview under the field: on "Preview", and a moment after typing.
(function () {
  "use strict";

  function setUp(container) {
    var url = container.getAttribute("data-markdown-preview");
    var textarea = container.querySelector("textarea");
    var button = container.querySelector(".markdown-field__button");
    var output = container.querySelector(".markdown-field__preview > div");
    var form = container.closest("form");
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!url || !textarea || !button || !output || !token) return;
    var timer = null;

    function refresh() {
      var body = new FormData();
      body.append("csrfmiddlewaretoken", token.value);
      body.append("text", textarea.value);
      fetch(url, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) output.innerHTML = html; });
    }

    button.parentNode.hidden = false;
    button.addEventListener("click", refresh);
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 600);
    });
  }

  function start() {
    document.querySelectorAll("[data-markdown-preview]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
