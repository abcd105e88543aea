// The page's own behaviour, kept out of the markup: the length counter; after an accepted
// post over HTTP an empty compose box and error area (rejected posts keep the text); and a
// live feed that resumes after the newest chirp it shows and never shows a chirp twice.
(function () {
  "use strict";

  // The id of the newest chirp on the page, or null when the feed is empty.
  function newestId() {
    var newest = document.querySelector("#feed > li.chirp[id^='chirp-']");
    return newest ? newest.id.substring("chirp-".length) : null;
  }

  // Every (re)connection asks only for what the page lacks: the server sends the chirps
  // after the newest one shown, or replaces the whole feed if it no longer holds that one.
  function resumeFrom(url, parameter) {
    var id = newestId();
    if (id === null) {
      return url;
    }
    var resumed = new URL(url, location.href);
    resumed.searchParams.set(parameter, id);
    return resumed.toString();
  }

  htmx.createWebSocket = function (url) {
    var socket = new WebSocket(resumeFrom(url, "since"));
    socket.binaryType = htmx.config.wsBinaryType || "blob";
    return socket;
  };

  htmx.createEventSource = function (url) {
    return new EventSource(resumeFrom(url, "lastEventId"), { withCredentials: false });
  };

  // A chirp the page already shows is not inserted again.
  document.addEventListener("htmx:sseBeforeMessage", function (event) {
    var id = event.detail.lastEventId;
    if (event.detail.type === "chirp" && id && document.getElementById("chirp-" + id)) {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:wsBeforeMessage", function (event) {
    var ids = event.detail.message.match(/id="chirp-\d+"/g);
    var carriesOnlyItems = event.detail.message.indexOf("afterbegin:#feed") >= 0;
    if (carriesOnlyItems && ids && ids.every(function (attribute) {
      return document.getElementById(attribute.slice(4, -1));
    })) {
      event.preventDefault();
    }
  });

  // And should one slip through (a frame mixing new and known chirps), the older copy stays.
  function removeRepeats() {
    var seen = {};
    Array.prototype.slice.call(document.querySelectorAll("#feed > li.chirp")).reverse()
      .forEach(function (item) {
        if (seen[item.id]) {
          item.remove();
        }
        seen[item.id] = true;
      });
  }
  document.addEventListener("htmx:afterSettle", removeRepeats);
  document.addEventListener("htmx:oobAfterSwap", removeRepeats);

  function codePoints(text) {
    return Array.from(text.normalize("NFC")).length;
  }

  function updateCount() {
    var input = document.getElementById("chirp-input");
    var count = document.getElementById("chirp-count");
    if (!input || !count) {
      return;
    }
    var max = Number(input.dataset.maxLength);
    var used = codePoints(input.value.trim());
    count.textContent = used + " / " + max;
    count.classList.toggle("over", used > max);
  }

  document.addEventListener("input", function (event) {
    if (event.target.id === "chirp-input") {
      updateCount();
    }
  });

  // Ctrl+Enter or Cmd+Enter sends, as in most chat boxes.
  document.addEventListener("keydown", function (event) {
    if (event.target.id === "chirp-input" && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.target.form.requestSubmit();
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = document.getElementById("compose");
    if (event.detail.elt === form && event.detail.successful) {
      form.reset();
      document.getElementById("chirp-error").textContent = "";
      updateCount();
    }
  });

  // Tell the person when the live feed is cut off, and when a post could not be sent.
  function showConnectionLost(lost) {
    var status = document.getElementById("connection");
    if (status) {
      status.hidden = !lost;
    }
  }
  document.addEventListener("htmx:wsClose", function () { showConnectionLost(true); });
  document.addEventListener("htmx:sseError", function () { showConnectionLost(true); });
  document.addEventListener("htmx:wsOpen", function () { showConnectionLost(false); });
  document.addEventListener("htmx:sseOpen", function () { showConnectionLost(false); });
  document.addEventListener("htmx:sendError", function (event) {
    if (event.detail.elt === document.getElementById("compose")) {
      document.getElementById("chirp-error").textContent =
        "Chirp could not reach the server; your text is kept. Try again in a moment.";
    }
  });

  // A fresh compose box arrives over the WebSocket after an accepted post.
  document.addEventListener("htmx:oobAfterSwap", updateCount);
  document.addEventListener("htmx:wsAfterMessage", updateCount);
})();
