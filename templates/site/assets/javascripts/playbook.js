/* playbookgen: mark each contact in a "Who to call" box as open or closed now, from the
 * weekly hours the page carries (data-week="mon 09:00-21:00,…", data-tz) and the dates that
 * replace them (data-dates="2026-12-25 closed,2026-11-27 09:00-23:00,…": holidays and special
 * hours). Without the script the hours are still printed. */
(function () {
  "use strict";

  function now(zone) {
    var options = {
      weekday: "short", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    };
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
    return {
      day: String(parts.weekday).slice(0, 3).toLowerCase(),
      date: parts.year + "-" + parts.month + "-" + parts.day,
      time: parts.hour + ":" + parts.minute
    };
  }

  /* A holiday or special hours on today's date replace the weekday's hours. */
  function isOpen(week, dates, at) {
    var today = (dates || "").split(",").filter(function (entry) {
      return entry.split(" ")[0] === at.date;
    });
    if (today.length) {
      return today.some(function (entry) {
        var span = (entry.split(" ")[1] || "").split("-");
        return span.length === 2 && at.time >= span[0] && at.time < span[1];
      });
    }
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
      var open = isOpen(contact.getAttribute("data-week"), contact.getAttribute("data-dates"), at);
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

/* playbookgen: the version selector and the outdated banner of a language's site published with
 * mike, in <version>/<language>/. Material's own selector reads versions.json one folder above
 * the site's root — the version's folder here, not mike's root — so the generated config names
 * the provider "playbookgen-language" instead of "mike" and this script does the same job, with
 * Material's markup and styles: versions.json from mike's root, each version's entry opening
 * the same page in the same language (or that language's home page when the page is not in
 * that version), the banner on a version that is not the default. */
(function () {
  "use strict";

  var node = document.getElementById("__config");
  var config;
  try {
    config = JSON.parse(node ? node.textContent : "null");
  } catch (error) {
    return;
  }
  if (!config || !config.version || config.version.provider !== "playbookgen-language") {
    return;
  }
  var base = new URL(config.base, location.href); // <root>/<version>/<language>/
  var parts = base.pathname.split("/").filter(Boolean);
  if (parts.length < 2) {
    return;
  }
  var language = parts[parts.length - 1];
  var here = parts[parts.length - 2];
  var root = new URL("../../", base);
  var page = location.pathname.indexOf(base.pathname) === 0 ? location.pathname.slice(base.pathname.length) : "";

  function element(tag, className, text) {
    var made = document.createElement(tag);
    made.className = className;
    if (text) {
      made.textContent = text;
    }
    return made;
  }

  function isDefault(version) {
    var wanted = config.version["default"] || "latest";
    wanted = Array.isArray(wanted) ? wanted : [wanted];
    var names = (version.aliases || []).concat(version.version);
    return wanted.some(function (pattern) {
      return names.some(function (name) {
        return new RegExp(pattern, "i").test(name);
      });
    });
  }

  function open(event) {
    var link = event.currentTarget;
    if (event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    var target = link.href;
    fetch(target, { method: "HEAD" })
      .then(function (response) {
        location.href = response.ok ? target : link.getAttribute("data-pb-home");
      })
      .catch(function () {
        location.href = link.getAttribute("data-pb-home");
      });
  }

  function show(versions) {
    versions = versions.filter(function (v) {
      return !(v.properties && v.properties.hidden);
    });
    var current = versions.filter(function (v) {
      return v.version === here || (v.aliases || []).indexOf(here) >= 0;
    })[0];
    if (!current) {
      return;
    }
    var label = (config.translations && config.translations["select.version"]) || "Select version";
    var selector = element("div", "md-version");
    var button = element("button", "md-version__current", current.title);
    button.setAttribute("aria-label", label);
    var list = element("ul", "md-version__list");
    versions.forEach(function (version) {
      var item = element("li", "md-version__item");
      var home = new URL(version.version + "/" + language + "/", root);
      var link = element("a", "md-version__link", version.title);
      link.href = new URL(page, home).href;
      link.setAttribute("data-pb-home", home.href);
      link.addEventListener("click", open);
      item.appendChild(link);
      list.appendChild(item);
    });
    selector.appendChild(button);
    selector.appendChild(list);
    var topic = document.querySelector(".md-header__topic");
    if (topic && !topic.querySelector(".md-version")) {
      topic.appendChild(selector);
    }
    if (!isDefault(current)) {
      Array.prototype.forEach.call(document.querySelectorAll("[data-md-component=outdated]"), function (banner) {
        banner.hidden = false;
      });
    }
  }

  fetch(new URL("versions.json", root).href)
    .then(function (response) {
      return response.ok ? response.json() : [];
    })
    .then(show)
    .catch(function () {
      /* no versions.json (not published with mike): no selector */
    });
})();
