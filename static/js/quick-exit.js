/* Quick exit: leave Repère at once, by the button or by pressing Shift three times.
   The page is blanked first, then replaced (location.replace) so that Back does not
   come back here. Without JavaScript the button is a plain link to the same place. */
(function () {
  "use strict";
  var shiftPresses = 0;
  var resetTimer = null;

  function leave(url) {
    document.title = "";
    document.documentElement.style.display = "none";
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be blocked */ }
    window.location.replace(url);
  }

  function exitUrl() {
    var button = document.querySelector("[data-quick-exit]");
    return button ? button.href : "https://www.google.com/";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-quick-exit]");
    if (button) {
      event.preventDefault();
      leave(button.href);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) {
      if (event.key !== "Shift") { shiftPresses = 0; }
      return;
    }
    shiftPresses += 1;
    window.clearTimeout(resetTimer);
    resetTimer = window.setTimeout(function () { shiftPresses = 0; }, 2000);
    if (shiftPresses >= 3) {
      leave(exitUrl());
    }
  });
})();
