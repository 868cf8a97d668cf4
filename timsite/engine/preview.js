// The preview's banner: what is still being updated after a save, and the content's problems.
// Every text is set with textContent: the problems quote what the editor wrote.
(function () {
  "use strict";
  var banner = document.getElementById("tim-preview");
  if (!banner) return;
  var state = banner.querySelector(".tim-preview__state");
  var list = banner.querySelector(".tim-preview__problems");
  var url = banner.getAttribute("data-status");
  var shown = "";

  function show(status) {
    var key = JSON.stringify(status);
    if (key === shown) return;
    shown = key;
    banner.setAttribute("data-state", status.state);
    if (status.state === "error") {
      state.textContent = "The last save has problems; the pages shown are the last good ones:";
    } else if (status.state === "building") {
      state.textContent = "Preview: rebuilding the pages...";
    } else if (status.pending.length) {
      state.textContent = "Preview: " + status.pending.join(", ") + " updating...";
    } else {
      state.textContent = "Preview: everything is up to date.";
    }
    while (list.firstChild) list.removeChild(list.firstChild);
    status.problems.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    banner.hidden = false;
  }

  function poll() {
    fetch(url, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) { if (status) show(status); })
      .catch(function () {})
      .then(function () { setTimeout(poll, 400); });
  }
  poll();
})();
