/* playbookgen: run Material's search worker in a hidden iframe when the site is opened from
 * file:// (browsers refuse Web Workers there). Shipped with the site so that the offline
 * bundle never loads a script from another host; the offline plugin skips its own CDN copy
 * because this file's name contains "iframe-worker". */
(function () {
  "use strict";
  if (location.protocol !== "file:" || typeof window.IFrameWorker !== "undefined") {
    return;
  }

  function IFrameWorker(url) {
    var target = document.createElement("div");
    var self = this;
    var queue = [];
    var ready = false;
    var frame = document.createElement("iframe");
    this.onmessage = null;
    this.onerror = null;
    this.addEventListener = target.addEventListener.bind(target);
    this.removeEventListener = target.removeEventListener.bind(target);
    this.dispatchEvent = target.dispatchEvent.bind(target);

    function deliver(data) {
      var event = new MessageEvent("message", { data: data });
      if (typeof self.onmessage === "function") {
        self.onmessage(event);
      }
      target.dispatchEvent(event);
    }

    function send(data) {
      var inner = frame.contentWindow;
      inner.dispatchEvent(new inner.MessageEvent("message", { data: data }));
    }

    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    frame.setAttribute("tabindex", "-1");
    frame.title = "Search";
    document.body.appendChild(frame);
    var inner = frame.contentWindow;
    inner.postMessage = function (data) {
      setTimeout(function () { deliver(data); }, 0);
    };
    inner.importScripts = function () {
      throw new Error("importScripts is not available in the offline search worker");
    };
    var script = inner.document.createElement("script");
    script.src = new URL(url, location.href).href;
    script.onload = function () {
      ready = true;
      queue.splice(0).forEach(send);
    };
    script.onerror = function (error) {
      if (typeof self.onerror === "function") {
        self.onerror(error);
      }
    };
    inner.document.body.appendChild(script);

    this.postMessage = function (data) {
      if (ready) {
        send(data);
      } else {
        queue.push(data);
      }
    };
    this.terminate = function () {
      frame.remove();
    };
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
