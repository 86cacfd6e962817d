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

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(mark);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
