/* Passkeys (accounts.passkeys): the browser makes or uses one with allauth's
   webauthn-json.js, then the page's form sends the answer.
   A button with data-passkey="create" or "get" names the form to fill (its form
   attribute) and the JSON options in the page (data-passkey-options, a json_script
   element: data, not a script, so the CSP needs no inline script). A refusal or a
   cancellation is said in the page's role=alert element (data-passkey-error). */
(function () {
  "use strict";

  function start(button) {
    var form = document.getElementById(button.getAttribute("form")) || button.form;
    var options = JSON.parse(
      document.getElementById(button.getAttribute("data-passkey-options")).textContent
    );
    var input = form.querySelector("input[name=credential]");
    var error = document.getElementById(button.getAttribute("data-passkey-error"));
    var create = button.getAttribute("data-passkey") === "create";
    button.hidden = false;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      if (error) { error.hidden = true; }
      var ask = create
        ? window.webauthnJSON.create(options.creation_options)
        : window.webauthnJSON.get(options.request_options);
      ask.then(function (credential) {
        input.value = JSON.stringify(credential);
        form.submit();
      }, function () {
        if (error) { error.hidden = false; }
      });
    });
  }

  function init() {
    if (!window.PublicKeyCredential || !window.webauthnJSON) { return; }
    document.querySelectorAll("[data-passkey]").forEach(start);
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (element) {
      element.hidden = true;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
