/* furima: the little the pages need from JavaScript, on top of htmx.
 *
 * After htmx swaps a panel in (an accepted action or a refusal), keyboard and screen-reader
 * users are told what changed: focus moves to the refusal if there is one, else to the
 * panel's status line, and the polite live region repeats it. Without JavaScript the same
 * forms post and the server answers with a whole page that says the same.
 */
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("live-status");
    if (!region) return;
    region.textContent = "";
    // A fresh text node after a tick, so the same sentence twice is still announced.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // Wide screens show the header links in a row: keep the menu open there (the stylesheet
  // hides its button), so browsers without ::details-content still show the links.
  var menu = document.querySelector("[data-site-menu]");
  if (menu && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 720px)");
    var sync = function () { if (wide.matches) menu.open = true; };
    sync();
    if (wide.addEventListener) wide.addEventListener("change", sync);
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = event.detail.target;
    if (!panel || !panel.isConnected) {
      panel = document.querySelector("[data-live-panel]");
    }
    if (!panel) return;
    var target = panel.querySelector("[role=alert]") || panel.querySelector("[data-focus-first]") || panel.querySelector("[data-focus-after-swap]");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
      announce(target.textContent.replace(/\s+/g, " ").trim());
    }
  });
})();
