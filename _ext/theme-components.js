/* Light pages (_ext/light_pages.py) load this in place of the theme's Bootstrap bundle (81 KB,
 * every Bootstrap component and Popper), which the theme's pages use for three things: the
 * article header's download menu, the back-to-top button, and hover tooltips on icon buttons.
 * The first two are here, as the theme wires them; the tooltips are the buttons' own titles.
 * The menu follows the menu button pattern: Enter, Space or ArrowDown opens it, the arrow keys
 * move through its items, Escape closes it and returns focus to its button. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  var TOGGLE = '[data-bs-toggle="dropdown"]';

  function menuOf(toggle) {
    return toggle.parentElement ? toggle.parentElement.querySelector(".dropdown-menu") : null;
  }

  function itemsOf(menu) {
    return Array.prototype.slice.call(menu.querySelectorAll("a[href], button:not([disabled])"));
  }

  function isOpen(toggle) {
    return toggle.getAttribute("aria-expanded") === "true";
  }

  function close(toggle, refocus) {
    var menu = menuOf(toggle);
    if (!menu || !isOpen(toggle)) return;
    menu.classList.remove("show");
    toggle.classList.remove("show");
    toggle.setAttribute("aria-expanded", "false");
    if (refocus) toggle.focus();
  }

  function open(toggle, focusItem) {
    var menu = menuOf(toggle);
    if (!menu) return;
    document.querySelectorAll(TOGGLE).forEach(function (other) { if (other !== toggle) close(other, false); });
    // Bootstrap's stylesheet places a menu marked static just below its button; a button on the
    // right of the screen gets its menu aligned to its right edge, so the menu stays on screen.
    menu.setAttribute("data-bs-popper", "static");
    var box = toggle.getBoundingClientRect();
    menu.classList.toggle("dropdown-menu-end", box.left > window.innerWidth / 2);
    menu.classList.add("show");
    toggle.classList.add("show");
    toggle.setAttribute("aria-expanded", "true");
    var items = itemsOf(menu);
    if (focusItem !== null && items.length) items[focusItem === -1 ? items.length - 1 : 0].focus();
  }

  function initMenus() {
    document.addEventListener("click", function (event) {
      var toggle = event.target.closest ? event.target.closest(TOGGLE) : null;
      if (toggle) {
        event.preventDefault();
        if (isOpen(toggle)) close(toggle, false); else open(toggle, event.detail === 0 ? 0 : null);
        return;
      }
      document.querySelectorAll(TOGGLE).forEach(function (t) {
        var menu = menuOf(t);
        // A click on an item does what the item does, then the menu closes.
        if (!menu || !menu.contains(event.target) || event.target.closest("a[href], button")) close(t, false);
      });
    });
    document.addEventListener("keydown", function (event) {
      var toggle = event.target.closest ? event.target.closest(TOGGLE) : null;
      if (toggle && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
        event.preventDefault();
        open(toggle, event.key === "ArrowUp" ? -1 : 0);
        return;
      }
      var menu = event.target.closest ? event.target.closest(".dropdown-menu.show") : null;
      if (!menu) return;
      var owner = menu.parentElement.querySelector(TOGGLE);
      var items = itemsOf(menu);
      var at = items.indexOf(document.activeElement);
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation(); // the theme's search dialog listens for Escape too
        close(owner, true);
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        items[(at + step + items.length) % items.length].focus();
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        items[event.key === "Home" ? 0 : items.length - 1].focus();
      }
    });
    // Tab out of an open menu closes it.
    document.addEventListener("focusout", function (event) {
      var root = event.target.closest ? event.target.closest(".dropdown") : null;
      if (!root || (event.relatedTarget && root.contains(event.relatedTarget))) return;
      var toggle = root.querySelector(TOGGLE);
      if (toggle && event.relatedTarget) close(toggle, false);
    });
  }

  // The theme's back-to-top button: shown while scrolling up below the header, and it scrolls up.
  function initBackToTop() {
    var button = document.getElementById("pst-back-to-top");
    var header = document.getElementsByClassName("bd-header")[0];
    if (!button || !header) return;
    button.addEventListener("click", function () {
      document.body.scrollTop = 0;
      document.documentElement.scrollTop = 0;
    });
    var bottom = header.getBoundingClientRect().bottom;
    var last = window.scrollY;
    window.addEventListener("scroll", function () {
      button.style.display = last > window.scrollY && window.scrollY > bottom ? "block" : "none";
      last = window.scrollY;
    });
  }

  ready(initMenus);
  ready(initBackToTop);
}());
