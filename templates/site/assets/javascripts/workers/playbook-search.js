/* playbookgen: the theme's own search worker, started through this file so that search does
 * not depend on how the reader types accents. Each page's words are indexed twice when they
 * carry accents — as written, and folded ("hết hạn" also as "het han") — so a query typed
 * without accents finds them, while a query typed with accents still matches the exact words
 * first. Queries are NFC-normalised (some keyboards type "ế" as "e" and two combining marks).
 *
 * The theme template names the real worker in the query string (?worker=search.<hash>.min.js);
 * it lives next to this file, so the worker's own relative paths (../lunr/…) are unchanged.
 * With an engine whose worker does not use lunr, only the normalisation applies. */
(function () {
  "use strict";

  var name = new URLSearchParams(self.location.search).get("worker") || "";
  if (!/^search\.[0-9a-z]+\.min\.js$/.test(name)) {
    throw new Error("playbook-search.js: no search worker named in its URL");
  }

  // Registered before the theme's worker, so it runs first and the worker reads the result.
  self.addEventListener("message", function (event) {
    var message = event.data;
    if (message && message.type === 2 && typeof message.data === "string") {
      message.data = message.data.normalize("NFC");
    }
  });

  importScripts(name);

  var lunr = self.lunr;
  if (typeof lunr === "undefined" || !lunr.Builder || !lunr.Pipeline) {
    return;
  }

  function fold(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/\u0111/g, "d") // đ: a letter of its own, not e + a mark
      .replace(/\u00f8/g, "o") // ø
      .replace(/\u0142/g, "l") // ł
      .normalize("NFC");
  }

  function playbookFold(token) {
    var text = token.toString();
    var folded = fold(text);
    if (folded === text) {
      return token;
    }
    return [
      token,
      token.clone(function () {
        return folded;
      }),
    ];
  }
  lunr.Pipeline.registerFunction(playbookFold, "playbookFold");

  // Only the index pipeline folds: a query with accents keeps them and matches exactly.
  var add = lunr.Builder.prototype.add;
  lunr.Builder.prototype.add = function (doc, attributes) {
    if (!this.playbookFolding) {
      this.playbookFolding = true;
      this.pipeline.add(playbookFold);
    }
    return add.call(this, doc, attributes);
  };
})();
