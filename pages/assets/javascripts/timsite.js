// The site's small behaviours: catalogue filters and sorting (without a server; the table works
// without JavaScript too), kept in the page's address (?type=&year=&series=&sort=&order=) so that a
// filtered catalogue can be shared; and an accessible name for Material's search dialog.
(function () {
  "use strict";
  function nameSearchDialog() {
    // Material's search dialog has no accessible name (axe: aria-dialog-name); name it after its input.
    var dialog = document.querySelector(".md-search[role=dialog]");
    var input = document.querySelector(".md-search__input");
    if (dialog && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
    }
  }
  function followOldTagLink() {
    // Tag links made before each tag had a page are anchors on the index (tags/#tag:t-visa, a merged
    // name's too): its row holds the link to the tag's page, so send the reader there.
    var hash = window.location.hash;
    if (!hash || hash.indexOf("#tag:") !== 0 || !document.querySelector(".tim-tag-index")) return;
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    var row = target && target.closest(".tim-tag-index > li");
    var link = row && row.querySelector("a[href]");
    if (link) window.location.replace(link.href);
  }
  function setupCopyButtons() {
    // "How to cite": each Copy button copies its citation as plain text. Without the clipboard the
    // buttons stay hidden and the text can be selected as usual.
    if (!navigator.clipboard || !navigator.clipboard.writeText) return;
    document.querySelectorAll("[data-tim-copy]").forEach(function (button) {
      button.hidden = false;
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.timCopy);
        var status = button.nextElementSibling;
        navigator.clipboard.writeText(source.textContent.trim()).then(
          function () { status.textContent = "Copied"; },
          function () { status.textContent = "Could not copy: select the text instead"; }
        );
      });
    });
  }
  function setup() {
    nameSearchDialog();
    setupCopyButtons();
    followOldTagLink();
    var table = document.querySelector("[data-tim-catalogue]");
    var form = document.querySelector("[data-tim-catalogue-filters]");
    if (!table || !form || table.dataset.ready) return;
    table.dataset.ready = "1";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var output = form.querySelector("output");
    var FIELDS = ["type", "year", "series"];
    var sorted = null;  // {column, ascending} once the reader has sorted

    // The address holds the filters and the order: replaced, not added to the history, on each change.
    function remember() {
      var url = new URL(window.location.href);
      FIELDS.concat(["sort", "order"]).forEach(function (name) { url.searchParams.delete(name); });
      FIELDS.forEach(function (name) { if (form.elements[name].value) url.searchParams.set(name, form.elements[name].value); });
      if (sorted) {
        url.searchParams.set("sort", sorted.column);
        url.searchParams.set("order", sorted.ascending ? "asc" : "desc");
      }
      history.replaceState(history.state, "", url.pathname + url.search + url.hash);
    }

    function filter() {
      var type = form.elements.type.value, year = form.elements.year.value, series = form.elements.series.value;
      var shown = 0;
      rows.forEach(function (row) {
        var ok = (!type || row.dataset.type === type) && (!year || row.dataset.year === year) &&
          (!series || row.dataset.series === series);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      output.value = shown + (shown === 1 ? " publication" : " publications");
    }

    function key(row, column) {
      if (column === "year") return row.dataset.year ? Number(row.dataset.year) : 99999;
      if (column === "series") return (row.dataset.series === "none" ? "~" : row.dataset.series) + ":" + String(row.dataset.number || "").padStart(6, "0");
      if (column === "type") return row.dataset.type + ":" + row.dataset.title;
      return row.dataset.title;
    }

    function sortBy(th, ascending) {
      var column = th.dataset.sort;
      sorted = { column: column, ascending: ascending };
      table.tHead.querySelectorAll("th[data-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var ka = key(a, column), kb = key(b, column);
        var order = ka < kb ? -1 : ka > kb ? 1 : 0;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }

    table.tHead.querySelectorAll("th[data-sort]").forEach(function (th) {
      th.querySelector("button").addEventListener("click", function () {
        sortBy(th, th.getAttribute("aria-sort") !== "ascending");
        remember();
      });
    });
    // From the address (untrusted): only a value the form offers is taken, anything else is ignored.
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) {
      var value = params.get(name);
      var select = form.elements[name];
      if (value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) select.value = value;
    });
    var th = Array.prototype.find.call(table.tHead.querySelectorAll("th[data-sort]"), function (h) {
      return h.dataset.sort === params.get("sort");
    });
    if (th) sortBy(th, params.get("order") !== "desc");
    form.addEventListener("change", function () { filter(); remember(); });
    filter();
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();
