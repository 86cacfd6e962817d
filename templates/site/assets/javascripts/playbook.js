/* playbookgen: mark each contact in a "Who to call" box as open or closed now, from the
 * weekly hours the page carries (data-week="mon 09:00-21:00,…", data-tz). Without the script
 * the hours are still printed; public holidays are not taken into account. */
(function () {
  "use strict";

  function now(zone) {
    var options = { weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (zone) {
      options.timeZone = zone;
    }
    var parts = {};
    try {
      new Intl.DateTimeFormat("en-GB", options).formatToParts(new Date()).forEach(function (p) {
        parts[p.type] = p.value;
      });
    } catch (error) {
      return null;
    }
    return { day: String(parts.weekday).slice(0, 3).toLowerCase(), time: parts.hour + ":" + parts.minute };
  }

  function isOpen(week, at) {
    return week.split(",").some(function (entry) {
      if (entry === "always") {
        return true;
      }
      var bits = entry.split(" ");
      var span = (bits[1] || "").split("-");
      return bits[0] === at.day && at.time >= span[0] && at.time < span[1];
    });
  }

  /* A wide table that does not fit its box gets a visible "scrolls sideways" line above it. */
  function hintWideTables() {
    var wraps = document.querySelectorAll(".pb-table-wrap.pb-wide[data-scroll-hint]");
    Array.prototype.forEach.call(wraps, function (wrap) {
      var hint = wrap.previousElementSibling;
      var present = hint && hint.classList.contains("pb-scroll-hint");
      var overflowing = wrap.scrollWidth > wrap.clientWidth + 1;
      if (overflowing && !present) {
        hint = document.createElement("p");
        hint.className = "pb-scroll-hint";
        hint.setAttribute("aria-hidden", "true");
        hint.textContent = wrap.getAttribute("data-scroll-hint");
        wrap.parentNode.insertBefore(hint, wrap);
      } else if (!overflowing && present) {
        hint.remove();
      }
    });
  }

  function mark() {
    var contacts = document.querySelectorAll(".pb-contact[data-week]");
    Array.prototype.forEach.call(contacts, function (contact) {
      var at = now(contact.getAttribute("data-tz"));
      var badge = contact.querySelector(".pb-open-now");
      if (!at || !badge) {
        return;
      }
      var open = isOpen(contact.getAttribute("data-week"), at);
      badge.textContent = contact.getAttribute(open ? "data-open" : "data-closed");
      badge.hidden = false;
      contact.classList.toggle("pb-contact--open", open);
      contact.classList.toggle("pb-contact--closed", !open);
    });
  }

  /* Typo tolerance for site search. Material's search worker runs every word as a prefix
   * ("refun" finds "refund") but forgives no typo ("refnud", "cancelation"). A query posted to
   * the worker gets, after each plain word of five letters or more, the same word with one
   * edit allowed ("refnud~1"), which lunr matches by edit distance. Queries that use lunr's
   * own syntax are left alone. The relevance test runs the worker through this same hook. */
  var FUZZY_FROM = 5;

  function forgiving(query) {
    if (/[~^:+\-*"]/.test(query)) {
      return query;
    }
    return query
      .split(/\s+/)
      .filter(Boolean)
      .map(function (word) {
        return word.length >= FUZZY_FROM && /^[\p{L}]+$/u.test(word) ? word + " " + word + "~1" : word;
      })
      .join(" ");
  }

  if (typeof window.Worker === "function" && !window.Worker.prototype.__playbookFuzzy) {
    var post = window.Worker.prototype.postMessage;
    window.Worker.prototype.postMessage = function (message) {
      if (message && message.type === 2 && typeof message.data === "string") {
        arguments[0] = { type: 2, data: forgiving(message.data) };
      }
      return post.apply(this, arguments);
    };
    window.Worker.prototype.__playbookFuzzy = true;
  }

  /* The print button above each page's title: shown only where a script can print. */
  function printButtons() {
    var buttons = document.querySelectorAll("button.pb-print[hidden]");
    Array.prototype.forEach.call(buttons, function (button) {
      if (typeof window.print !== "function") {
        return;
      }
      button.addEventListener("click", function () {
        window.print();
      });
      button.hidden = false;
    });
  }

  function ready() {
    mark();
    hintWideTables();
    printButtons();
  }

  /* Closed boxes print open: paper has no "click to expand". */
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (box) {
      box.setAttribute("open", "");
      box.setAttribute("data-pb-print-opened", "");
    });
  });
  window.addEventListener("afterprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-pb-print-opened]"), function (box) {
      box.removeAttribute("open");
      box.removeAttribute("data-pb-print-opened");
    });
  });

  window.addEventListener("resize", hintWideTables);
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(ready);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
