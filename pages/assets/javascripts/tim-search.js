// The header search: a modal dialog over the Pagefind index in <site>/pagefind/ (built by the timsite
// plugin after the pages). Loaded on every page, it fetches nothing until the reader opens the search.
(function () {
  "use strict";
  // Results come five at a time, as in Pagefind's own interface: each costs a page fragment to download.
  var PAGE_SIZE = 5;
  var MAX_SUBS = 3;
  // Searching on every key would fetch index chunks and page fragments for every prefix typed on the way
  // ("v", "vi", "vic"...): the search waits for a short pause in typing, shows the first result (one page
  // fragment), and fetches the other results' fragments only once the reader has stopped typing.
  var PAUSE_MS = 100;
  var REST_MS = 250;
  // A word of one or two letters, or an identifier half typed, matches the start of a great many words:
  // its search (and the index chunks it needs) waits until the reader has clearly stopped typing.
  var LONG_PAUSE_MS = 400;
  var pagefind = null;      // the Pagefind module, once imported
  var loading = null;       // the import in flight
  var filtersLoaded = false;
  var sequence = 0;         // only the answer to the latest query is shown

  // The site's root, from Material's config (relative "base"), so search works under a sub-path.
  function siteRoot() {
    var config = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(config.textContent).base || "."; } catch (error) { /* keep "." */ }
    return new URL(base.replace(/\/?$/, "/"), document.baseURI);
  }

  function load() {
    if (!loading) {
      var root = siteRoot();
      loading = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
        pagefind = module;
        // A weaker page-length penalty than Pagefind's default (0.75): a publication with its full text must still
        // outrank a short page that mentions its author once.
        return module.options({ baseUrl: root.pathname, excerptLength: 24, ranking: { pageLength: 0.2 } }).then(function () {
          module.init();
          return module;
        });
      });
    }
    return loading;
  }

  // What a reader types as an identifier becomes the compact form the index holds: "ISBN 92-9068-060-x",
  // "isbn: 978 92 9068 113 7" and "ISSN 1607-338X" all become their digits (and a final X).
  function compactIdentifier(text) {
    return text.replace(/^(isbn|issn)(-1[03])?\s*:?\s*/i, "").replace(/[\s\u2010-\u2015-]/g, "");
  }

  function normalize(query) {
    var text = query.trim();
    var compact = compactIdentifier(text);
    if (/^(\d{7}[\dx]|\d{9}[\dx]|\d{13})$/i.test(compact)) return compact.toUpperCase();
    return text;
  }

  function pauseFor(query) {
    var text = query.trim();
    var compact = compactIdentifier(text);
    if (/^\d[\dx]*$/i.test(compact)) {
      // Digits: an identifier, searched at once only when it has the length of one.
      return /^(\d{7}[\dx]|\d{9}[\dx]|\d{13})$/i.test(compact) ? PAUSE_MS : LONG_PAUSE_MS;
    }
    var words = text.split(/\s+/);
    return words[words.length - 1].length < 3 ? LONG_PAUSE_MS : PAUSE_MS;
  }

  // Pagefind's excerpts are text with <mark> around the hits; only text and <mark> are carried over.
  function excerptInto(target, html) {
    var parsed = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html").body;
    target.textContent = "";
    parsed.childNodes.forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        target.appendChild(document.createTextNode(node.textContent));
      } else if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
  }

  function setup() {
    var layer = document.querySelector("[data-tim-search-layer]");
    var dialog = document.querySelector("[data-tim-search]");
    // The header's button, and any other (the home page's "Search the archive").
    var openers = Array.prototype.slice.call(document.querySelectorAll("[data-tim-search-open]"));
    var opener = openers[0];
    if (!layer || !dialog || !opener || dialog.dataset.ready) return;
    dialog.dataset.ready = "1";
    // A modal over the whole page: out of the header, so that everything else can be made inert.
    document.body.appendChild(layer);
    openers.forEach(function (button) { button.hidden = false; });
    var returnFocus = null;
    var moreButton = dialog.querySelector("[data-tim-search-more]");
    var showMore = null;    // loads the next results of the current search, when there are more
    var pending = null;     // the search waiting for the reader to pause
    var searching = false;  // a search is running
    var rerun = false;      // the query changed while it ran
    var openFirst = false;  // Enter pressed before the results were in: open the first when it comes
    var input = dialog.querySelector("input[name=q]");
    var status = dialog.querySelector("[data-tim-search-status]");
    var list = dialog.querySelector("[data-tim-search-results]");
    var template = dialog.querySelector("template[data-tim-search-result]");
    var filterBox = dialog.querySelector("[data-tim-search-filters]");
    var selects = Array.prototype.slice.call(dialog.querySelectorAll("[data-tim-filter]"));
    var sortSelect = dialog.querySelector("[data-tim-sort]");

    function isOpen() { return !layer.hidden; }

    function open() {
      if (!isOpen()) {
        returnFocus = document.activeElement;
        Array.prototype.forEach.call(document.body.children, function (child) {
          if (child !== layer && !child.inert) { child.inert = true; child.dataset.timInert = "1"; }
        });
        layer.hidden = false;
        document.documentElement.classList.add("tim-search-is-open");
      }
      input.focus();
      input.select();
      load().catch(function () { status.textContent = "Search is not available: its index could not be loaded."; });
    }

    function close() {
      if (!isOpen()) return;
      layer.hidden = true;
      document.documentElement.classList.remove("tim-search-is-open");
      Array.prototype.forEach.call(document.querySelectorAll("[data-tim-inert]"), function (child) {
        child.inert = false;
        delete child.dataset.timInert;
      });
      if (returnFocus && returnFocus.focus && document.contains(returnFocus)) returnFocus.focus();
    }

    function loadFilters() {
      if (filtersLoaded) return;
      filtersLoaded = true;
      load().then(function (module) { return module.filters(); }).then(function (available) {
        selects.forEach(function (select) {
          var values = available[select.dataset.timFilter] || {};
          Object.keys(values).sort(function (a, b) {
            return select.dataset.timFilter === "year" ? Number(b) - Number(a) : a.localeCompare(b);
          }).forEach(function (value) {
            var option = document.createElement("option");
            option.value = value;
            option.textContent = value + " (" + values[value] + ")";
            select.appendChild(option);
          });
        });
      });
    }

    function chosenFilters() {
      var filters = {};
      selects.forEach(function (select) { if (select.value) filters[select.dataset.timFilter] = select.value; });
      return filters;
    }

    function render(results, query, more) {
      if (!more) list.textContent = "";
      results.forEach(function (data) {
        var item = template.content.firstElementChild.cloneNode(true);
        var link = item.querySelector(".tim-search__link");
        link.href = data.url;
        item.querySelector(".tim-search__result-title").textContent = data.meta.title || data.url;
        var kind = data.meta.kind || "Page";
        item.querySelector(".tim-search__kind").textContent = data.meta.when ? kind + " · " + data.meta.when : kind;
        var note = item.querySelector(".tim-search__note");
        if (data.meta.note) { note.textContent = data.meta.note; } else { note.remove(); }
        excerptInto(item.querySelector(".tim-search__excerpt"), data.excerpt);
        var subs = item.querySelector(".tim-search__subs");
        (data.sub_results || []).filter(function (sub) { return sub.anchor; }).slice(0, MAX_SUBS).forEach(function (sub) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = sub.url;
          a.className = "tim-search__sub";
          var title = document.createElement("span");
          title.className = "tim-search__sub-title";
          title.dataset.part = /^Bulletin/.test(kind) ? "Article" : "Section";
          title.textContent = sub.title;
          var excerpt = document.createElement("span");
          excerpt.className = "tim-search__sub-excerpt";
          excerptInto(excerpt, sub.excerpt);
          a.append(title, excerpt);
          li.appendChild(a);
          subs.appendChild(li);
        });
        if (!subs.children.length) subs.remove();
        list.appendChild(item);
      });
      list.dataset.query = query;
    }

    function run() {
      var typed = input.value;
      var query = normalize(typed);
      var mine = ++sequence;
      // One search at a time: on a large archive a search of common words takes most of a second, and
      // searches started on every pause in typing would queue up behind each other. A query typed meanwhile
      // waits, and only the latest one runs when the current search ends.
      if (query && searching) { rerun = true; return; }
      if (!query) {
        // Browsing by filter alone would download most of the index: the catalogue does that better.
        list.textContent = "";
        list.removeAttribute("aria-busy");
        showMore = null;
        moreButton.hidden = true;
        status.textContent = Object.keys(chosenFilters()).length ?
          "Type a word to search within these filters; to browse publications by type, year or series, use the Catalogue." : "";
        return;
      }
      var options = { filters: chosenFilters() };
      if (sortSelect.value) options.sort = { date: sortSelect.value };
      searching = true;
      load().then(function (module) { return module.search(query, options); }).then(function (search) {
        searching = false;
        if (rerun) { rerun = false; run(); return null; }
        if (mine !== sequence || !search) return null;
        // Typed on while this search ran: the query it answers is already stale, and a newer search is due
        // after the next pause. Fetching its results' fragments would only cost the reader bytes.
        if (input.value !== typed) return null;
        var top = search.results.slice(0, PAGE_SIZE);
        var total = search.results.length;
        showMore = null;
        moreButton.hidden = true;
        function done(shown) {
          list.removeAttribute("aria-busy");
          status.textContent = total === 0 ? "No results for “" + typed + "”" :
            (total === 1 ? "1 result" : total + " results") + (total > shown ? ", the first " + shown + " shown" : "");
          if (total > shown) {
            showMore = function () {
              var next = search.results.slice(shown, shown + PAGE_SIZE);
              list.setAttribute("aria-busy", "true");
              return Promise.all(next.map(function (r) { return r.data(); })).then(function (more) {
                if (mine !== sequence) return;
                render(more, typed, true);
                done(shown + more.length);
              });
            };
          } else {
            showMore = null;
          }
          moreButton.hidden = !showMore;
        }
        if (!top.length) { openFirst = false; render([], typed); done(0); return null; }
        // The first result is shown as soon as its own fragment arrives; the others follow together.
        list.setAttribute("aria-busy", "true");
        return top[0].data().then(function (first) {
          if (mine !== sequence) return null;
          render([first], typed);
          if (openFirst) { openFirst = false; list.querySelector("a").click(); return null; }
          return new Promise(function (resolve) { setTimeout(resolve, REST_MS); }).then(function () {
            if (mine !== sequence) return null;
            return Promise.all(top.slice(1).map(function (r) { return r.data(); })).then(function (rest) {
              if (mine !== sequence) return;
              render(rest, typed, true);
              done(top.length);
            });
          });
        });
      }).catch(function () {
        searching = false;
        status.textContent = "Search is not available: its index could not be loaded.";
      });
    }

    // Arrow keys move between the input and the result links; Enter follows the focused link natively.
    function move(step) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      if (!moreButton.hidden) links.push(moreButton);
      if (!links.length) return;
      var at = links.indexOf(document.activeElement);
      var next = at + step;
      if (next < 0) { input.focus(); return; }
      links[Math.min(next, links.length - 1)].focus();
    }

    openers.forEach(function (button) { button.addEventListener("click", open); });
    moreButton.addEventListener("click", function () {
      if (!showMore) return;
      var before = list.querySelectorAll("a.tim-search__link").length;
      showMore().then(function () {
        // The reader's place: the first of the results just added.
        var added = list.querySelectorAll("a.tim-search__link")[before];
        if (added) added.focus();
      });
    });
    openers.forEach(function (button) {
      button.addEventListener("pointerenter", function () { load().catch(function () {}); }, { once: true });
    });
    dialog.querySelector("[data-tim-search-close]").addEventListener("click", close);
    layer.addEventListener("click", function (event) {
      // A click on the backdrop closes; so does following a result, which may be an anchor on this page.
      if (event.target === layer || (event.target.closest && event.target.closest("[data-tim-search-results] a"))) close();
    });
    input.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { pending = null; run(); }, pauseFor(input.value));
    });
    selects.concat([sortSelect]).forEach(function (select) { select.addEventListener("change", run); });
    filterBox.addEventListener("toggle", function () { if (filterBox.open) loadFilters(); });
    dialog.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      if (pending !== null) {
        clearTimeout(pending);
        pending = null;
        openFirst = true;
        run();
        return;
      }
      var first = list.querySelector("a");
      if (first && document.activeElement === input) first.click();
    });
    layer.addEventListener("keydown", function (event) {
      // Keys typed in the search are the search's: Material's own shortcuts must not see them.
      event.stopPropagation();
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    document.addEventListener("keydown", function (event) {
      if (isOpen() || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      if (event.key === "/" || event.key === "s" || event.key === "S") {
        event.preventDefault();
        event.stopPropagation();
        open();
      }
    }, true);
  }

  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();
