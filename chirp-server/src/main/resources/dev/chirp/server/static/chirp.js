// The page's own behaviour, kept out of the markup: the length counter, and after an
// accepted post over HTTP an empty compose box and error area. Rejected posts keep the text.
(function () {
  "use strict";

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

  // A fresh compose box arrives over the WebSocket after an accepted post.
  document.addEventListener("htmx:oobAfterSwap", updateCount);
  document.addEventListener("htmx:wsAfterMessage", updateCount);
})();
