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

  // The 出品 form: the chosen photos show before they are sent. Without JavaScript the
  // same form uploads them; the page after the upload shows them.
  Array.prototype.forEach.call(document.querySelectorAll("input[type=file][data-photo-preview]"), function (input) {
    var list = document.createElement("ul");
    list.className = "photo-preview";
    list.setAttribute("data-testid", "photo-preview");
    input.insertAdjacentElement("afterend", list);
    input.addEventListener("change", function () {
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        if (!/^image\//.test(file.type)) return;
        var item = document.createElement("li");
        var image = document.createElement("img");
        image.alt = file.name;
        item.appendChild(image);
        list.appendChild(item);  // in the chosen order, whichever file is read first
        var reader = new FileReader();
        reader.onload = function () { image.src = reader.result; };
        reader.readAsDataURL(file);
      });
    });
  });

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
