/* Quick exit: leave Repère at once, by the button or by pressing Shift three times, as
   GOV.UK's "Exit this page" does (up to 5 seconds between presses; Shift used with another
   key, as in Shift+A or Shift+Tab, does not count).
   The page is blanked first, then replaced (location.replace) so that Back does not come
   back to it. Without JavaScript the button is a plain link to the same neutral site.
   What it cannot hide (history, an open session) is said on the page "About quick exit". */
(function () {
  "use strict";
  var PRESSES = 3;
  var WAIT_MS = 5000;
  var presses = 0;
  var timer = null;
  var lastKeyWasModified = false;

  function status() {
    return document.querySelector("[data-quick-exit-status]");
  }

  function say(text) {
    var element = status();
    if (element) { element.textContent = text || ""; }
  }

  function reset() {
    presses = 0;
    window.clearTimeout(timer);
    timer = null;
    say("");
  }

  function exitUrl() {
    var button = document.querySelector("[data-quick-exit]");
    return button ? button.href : "https://www.google.com/";
  }

  function leave(url) {
    document.title = "";
    document.documentElement.style.display = "none";
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be blocked */ }
    window.location.replace(url);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-quick-exit]");
    if (button) {
      event.preventDefault();
      leave(button.href);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" && presses) { reset(); }
  }, true);

  document.addEventListener("keyup", function (event) {
    if (event.key === "Shift" && !lastKeyWasModified) {
      presses += 1;
      window.clearTimeout(timer);
      if (presses >= PRESSES) {
        reset();
        leave(exitUrl());
        return;
      }
      var element = status();
      if (element) { say(presses === 1 ? element.dataset.twoMore : element.dataset.oneMore); }
      timer = window.setTimeout(reset, WAIT_MS);
    } else if (event.key !== "Shift" && presses) {
      reset();
    }
    lastKeyWasModified = event.shiftKey;
  }, true);

  // A page restored from the back-forward cache must not stay blank.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.documentElement.style.display = "";
      reset();
    }
  });
})();
