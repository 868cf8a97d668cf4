// The header search: a modal dialog over the Pagefind index in <site>/pagefind/ (built by the timsite
// plugin after the pages). Loaded on every page, it fetches nothing until the reader opens the search.
// Words are compared, highlighted and excerpted by tim-search-words.js (window.timSearchWords); what a query
// asks and what a page matched is tim-search-query.js's (window.timSearchQuery).
(function () {
  "use strict";
  var W = window.timSearchWords;
  var Q = window.timSearchQuery;
  // Results come five at a time, as in Pagefind's own interface: each costs a page fragment to download.
  var PAGE_SIZE = 5;
  var SUGGESTIONS = 3;
  // What the address may carry: longer is not a reader's query, and is cut (the address is untrusted input).
  var MAX_QUERY = 200;
  var FILTERS = ["collection", "type", "year", "series", "tag"];
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
  var vocabulary = null;    // the words of the archive, fetched the first time a search finds nothing
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

  // The vocabulary (timsite/outputs/vocabulary.py): only fetched when a search finds nothing.
  function loadVocabulary() {
    if (!vocabulary) {
      vocabulary = fetch(new URL("search/vocabulary.json", siteRoot()).href).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (data) { return Array.isArray(data.words) ? data.words : []; });
      vocabulary.catch(function () { vocabulary = null; });
    }
    return vocabulary;
  }

  function pauseFor(query) {
    var asked = Q.understand(query);
    if (asked.identifier) return asked.partial ? LONG_PAUSE_MS : PAUSE_MS;
    var text = query.trim();
    if (/^\d[\d\s-]*$/.test(text)) return LONG_PAUSE_MS;  // digits: perhaps an identifier half typed
    var words = text.split(/\s+/);
    return words[words.length - 1].length < 3 ? LONG_PAUSE_MS : PAUSE_MS;
  }

  function address(params) {
    var url = new URL(window.location.href);
    ["q", "sort"].concat(FILTERS).forEach(function (name) { url.searchParams.delete(name); });
    Object.keys(params).forEach(function (name) { if (params[name]) url.searchParams.set(name, params[name]); });
    return url.pathname + url.search + url.hash;
  }

  function setup() {
    var layer = document.querySelector("[data-tim-search-layer]");
    var dialog = document.querySelector("[data-tim-search]");
    // The header's button, and any other (the home page's "Search the archive").
    var openers = Array.prototype.slice.call(document.querySelectorAll("[data-tim-search-open]"));
    var opener = openers[0];
    if (!layer || !dialog || !opener || !W || !Q || dialog.dataset.ready) return;
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
    var pushed = false;     // opening added an entry to the history, which closing takes back
    var backPending = false;  // closing went back in the history, and the browser has not done it yet
    var input = dialog.querySelector("input[name=q]");
    var status = dialog.querySelector("[data-tim-search-status]");
    var none = dialog.querySelector("[data-tim-search-none]");
    var didYouMean = dialog.querySelector("[data-tim-search-did-you-mean]");
    var suggestionList = dialog.querySelector("[data-tim-search-suggestions]");
    var list = dialog.querySelector("[data-tim-search-results]");
    var template = dialog.querySelector("template[data-tim-search-result]");
    var groupTemplate = dialog.querySelector("template[data-tim-search-group]");
    var filterBox = dialog.querySelector("[data-tim-search-filters]");
    var selects = Array.prototype.slice.call(dialog.querySelectorAll("[data-tim-filter]"));
    var sortSelect = dialog.querySelector("[data-tim-sort]");
    Array.prototype.forEach.call(dialog.querySelectorAll("[data-tim-search-link]"), function (a) {
      a.href = new URL(a.dataset.timSearchLink, siteRoot()).href;
    });

    function isOpen() { return !layer.hidden; }

    function chosen() {
      var params = { q: input.value.slice(0, MAX_QUERY) };
      selects.forEach(function (select) { params[select.dataset.timFilter] = select.value; });
      params.sort = sortSelect.value;
      return params;
    }

    // Typing replaces the address (no history entry per key); the search is in it, to be shared.
    function remember() {
      if (isOpen()) history.replaceState({ timSearch: true }, "", address(chosen()));
    }

    function open() {
      if (!isOpen()) {
        returnFocus = document.activeElement;
        Array.prototype.forEach.call(document.body.children, function (child) {
          if (child !== layer && !child.inert) { child.inert = true; child.dataset.timInert = "1"; }
        });
        layer.hidden = false;
        document.documentElement.classList.add("tim-search-is-open");
        // Back closes the search: opening it is a step in the history (taken once a pending Back is done).
        if (!backPending && !(history.state && history.state.timSearch)) {
          history.pushState({ timSearch: true }, "", address(chosen()));
          pushed = true;
        }
      }
      input.focus();
      input.select();
      load().catch(function () { status.textContent = "Search is not available: its index could not be loaded."; });
    }

    // `how`: "back" (the history went back already), "follow" (a result is being opened), or the reader closing.
    function close(how) {
      if (!isOpen()) return;
      layer.hidden = true;
      document.documentElement.classList.remove("tim-search-is-open");
      Array.prototype.forEach.call(document.querySelectorAll("[data-tim-inert]"), function (child) {
        child.inert = false;
        delete child.dataset.timInert;
      });
      if (how !== "back" && how !== "follow") {
        if (pushed) {
          pushed = false;
          backPending = true;
          history.back();
        } else {
          history.replaceState(null, "", address({}));
        }
      }
      if (how === "back") pushed = false;
      if (returnFocus && returnFocus.focus && document.contains(returnFocus)) returnFocus.focus();
    }

    function addOption(select, value, label) {
      var existing = Array.prototype.find.call(select.options, function (o) { return o.value === value; });
      var option = existing || document.createElement("option");
      option.value = value;
      option.textContent = label;
      if (!existing) select.appendChild(option);
    }

    function loadFilters() {
      if (filtersLoaded) return;
      filtersLoaded = true;
      load().then(function (module) { return module.filters(); }).then(function (available) {
        selects.forEach(function (select) {
          var values = available[select.dataset.timFilter] || {};
          var keep = select.value;
          Object.keys(values).sort(function (a, b) {
            return select.dataset.timFilter === "year" ? Number(b) - Number(a) : a.localeCompare(b);
          }).forEach(function (value) { addOption(select, value, value + " (" + values[value] + ")"); });
          select.value = keep;
        });
      });
    }

    function chosenFilters() {
      var filters = {};
      selects.forEach(function (select) { if (select.value) filters[select.dataset.timFilter] = select.value; });
      return filters;
    }

    function render(entries, asked) {
      entries.forEach(function (entry) {
        if (entry.heading) {
          var group = groupTemplate.content.firstElementChild.cloneNode(true);
          group.querySelector("[data-tim-search-group-title]").textContent = entry.heading;
          list.appendChild(group);
        } else {
          list.appendChild(Q.resultItem(template, entry.data, asked));
        }
      });
    }

    function clearAnswer() {
      list.textContent = "";
      none.hidden = true;
      didYouMean.hidden = true;
      suggestionList.textContent = "";
      showMore = null;
      moreButton.hidden = true;
    }

    // Nothing found: say so, and offer the nearest words the archive holds for each word that found nothing.
    function answerNone(typed, asked, mine, missing) {
      if (asked.identifier) {
        var what = asked.identifier === "ISSN" ? "No publication or series with ISSN " : "No publication with ISBN ";
        status.textContent = what + asked.shown + " on this site" +
          (asked.valid ? "." : " (and " + asked.shown + " is not a valid " + asked.identifier + ": check its digits).");
        none.hidden = false;
        return Promise.resolve();
      }
      status.textContent = "No results for “" + typed.trim() + "”.";
      none.hidden = false;
      var words = (missing && missing.length ? missing : asked.needed).filter(function (t) { return /\p{L}/u.test(t.word); });
      if (!words.length) return Promise.resolve();
      return loadVocabulary().then(function (known) {
        if (mine !== sequence) return;
        var offered = [];
        words.forEach(function (term) {
          W.nearest(term.word, known, SUGGESTIONS).forEach(function (word) {
            var text = typed.replace(term.word, word);
            if (offered.indexOf(text) < 0) offered.push({ word: word, query: text });
          });
        });
        offered.slice(0, SUGGESTIONS).forEach(function (s, i) {
          if (i) suggestionList.appendChild(document.createTextNode(i === offered.length - 1 ? " or " : ", "));
          var a = document.createElement("a");
          a.href = address({ q: s.query });
          a.dataset.timSearchSuggestion = s.query;
          a.textContent = s.word;
          suggestionList.appendChild(a);
        });
        didYouMean.hidden = !suggestionList.children.length;
      }).catch(function () { /* no suggestions: the answer stands without them */ });
    }

    function run() {
      var typed = input.value.slice(0, MAX_QUERY);
      var asked = Q.understand(typed);
      var query = asked.identifier ? asked.compact : asked.query;
      var mine = ++sequence;
      remember();
      // One search at a time: on a large archive a search of common words takes most of a second, and
      // searches started on every pause in typing would queue up behind each other. A query typed meanwhile
      // waits, and only the latest one runs when the current search ends.
      if (query && searching) { rerun = true; return; }
      if (!typed.trim() || (asked.identifier && asked.partial) || !query) {
        // Browsing by filter alone would download most of the index: the catalogue does that better.
        clearAnswer();
        list.removeAttribute("aria-busy");
        status.textContent = asked.partial ? "An ISBN has 10 or 13 digits, an ISSN 8." :
          Object.keys(chosenFilters()).length ?
          "Type a word to search within these filters; to browse publications by type, year or series, use the Catalogue." : "";
        list.dataset.query = typed;
        return;
      }
      var options = { filters: chosenFilters() };
      if (sortSelect.value) options.sort = { date: sortSelect.value };
      searching = true;
      var module = null;
      load().then(function (m) { module = m; return m.search(query, options); }).then(function (search) {
        searching = false;
        if (rerun) { rerun = false; run(); return null; }
        if (mine !== sequence || !search) return null;
        // Typed on while this search ran: the query it answers is already stale, and a newer search is due
        // after the next pause. Fetching its results' fragments would only cost the reader bytes.
        if (input.value.slice(0, MAX_QUERY) !== typed) return null;
        list.setAttribute("aria-busy", "true");
        var entries = search.results;   // every result, in order; `some` from where pages with some words begin
        var some = -1;
        var total = entries.length;
        var shown = 0;

        function stale() { return mine !== sequence; }

        function finish(missing) {
          if (stale()) return null;
          var all = some < 0 ? total : some;
          if (total === 0) {
            clearAnswer();
            openFirst = false;  // Enter had nothing to open: it must not open the next search's first result
          }
          var done = total === 0 ? answerNone(typed, asked, mine, missing) : Promise.resolve();
          if (total > 0) {
            var parts = [];
            if (asked.identifier || asked.needed.length < 2 || some < 0) {
              parts.push(all === 1 ? "1 result" : all + " results");
            } else {
              parts.push(all === 0 ? "No page has all the words" : (all === 1 ? "1 page has" : all + " pages have") + " all the words");
              parts.push((total - all) + " " + (total - all === 1 ? "has" : "have") + " some of them");
            }
            status.textContent = parts.join("; ") + (total > shown ? ", the first " + shown + " shown" : "");
          }
          return done.then(function () {
            if (stale()) return;
            showMore = total > shown ? more : null;
            moreButton.hidden = !showMore;
            list.dataset.query = typed;
            list.removeAttribute("aria-busy");
          });
        }

        // The next results' fragments, with the heading before the first page that has only some words.
        function fetch(count) {
          var next = entries.slice(shown, shown + count);
          return Promise.all(next.map(function (r) { return r.data(); })).then(function (datas) {
            var out = [];
            datas.forEach(function (data, i) {
              if (some >= 0 && shown + i === some) out.push({ heading: some === 0 ? headingNone() : "Pages with some of the words" });
              if (asked.identifier && !Q.identifierFound(data, asked.compact)) return;
              out.push({ data: data });
            });
            return { out: out, count: next.length };
          });
        }

        function headingNone() {
          return "No page has all the words; pages with some of them";
        }

        function more() {
          list.setAttribute("aria-busy", "true");
          return fetch(PAGE_SIZE).then(function (got) {
            if (stale()) return null;
            render(got.out, asked);
            shown += got.count;
            return finish();
          });
        }

        if (!total) {
          if (asked.identifier || asked.needed.length < 2) return finish(asked.needed);
          return Q.someWords(module, asked, options, [], []).then(function (found) {
            if (stale()) return null;
            if (!found.results.length) return finish(found.missing);
            entries = found.results;
            total = entries.length;
            some = 0;
            return firstPage(found.missing);
          });
        }
        // The first result: shown as soon as its own fragment arrives, if it really matches.
        return entries[0].data().then(function (first) {
          if (stale()) return null;
          if (asked.identifier) {
            if (!Q.identifierFound(first, asked.compact)) { entries = []; total = 0; return finish(); }
            // Only exact identifier hits count (Pagefind also finds numbers that begin the same).
            entries = entries.slice(0, PAGE_SIZE);
            total = entries.length;
            return firstPage();
          }
          var missing = Q.missingWords(first, asked);
          if (missing.length) {
            // A word matched nothing: the pages Pagefind found match only a shortened form of it.
            if (missing.length === asked.needed.length || asked.needed.length < 2) { entries = []; total = 0; return finish(missing); }
            var rest = { needed: asked.needed.filter(function (t) { return missing.indexOf(t) < 0; }) };
            return Q.someWords(module, rest, options, [], rest.needed).then(function (found) {
              if (stale()) return null;
              entries = found.results;
              total = entries.length;
              some = 0;
              if (!total) return finish(missing);
              return firstPage(missing);
            });
          }
          if (asked.needed.length >= 2 && total < PAGE_SIZE) {
            return Q.someWords(module, asked, options, entries, asked.needed).then(function (found) {
              if (stale()) return null;
              some = total;
              entries = entries.concat(found.results);
              total = entries.length;
              return firstPage();
            });
          }
          return firstPage();
        });

        function firstPage() {
          return fetch(1).then(function (got) {
            if (stale()) return null;
            clearAnswer();
            list.setAttribute("aria-busy", "true");
            render(got.out, asked);
            shown = got.count;
            if (asked.identifier && !got.out.length) { total = 0; return finish(); }
            list.dataset.query = typed;
            if (openFirst) { openFirst = false; var a = list.querySelector("a"); if (a) { close("follow"); a.click(); } return null; }
            // Pages with all the words and pages with some: the first page shows those with all of them and
            // a few with some.
            var firstCount = some > 0 && some < PAGE_SIZE ? some + PAGE_SIZE : PAGE_SIZE;
            return new Promise(function (resolve) { setTimeout(resolve, REST_MS); }).then(function () {
              if (stale()) return null;
              return fetch(firstCount - 1).then(function (rest) {
                if (stale()) return null;
                render(rest.out, asked);
                shown += rest.count;
                if (asked.identifier) total = list.querySelectorAll("li.tim-search__result").length;
                return finish();
              });
            });
          });
        }
      }).catch(function () {
        searching = false;
        list.removeAttribute("aria-busy");
        status.textContent = "Search is not available: its index could not be loaded.";
      });
    }

    // Arrow keys move between the input, the suggestions and the result links; Enter follows the focused link.
    function move(step) {
      var links = Array.prototype.slice.call(dialog.querySelectorAll("[data-tim-search-answer] a:not([hidden]), [data-tim-search-results] a"))
        .filter(function (a) { return a.offsetParent !== null; });
      if (!moreButton.hidden) links.push(moreButton);
      if (!links.length) return;
      var at = links.indexOf(document.activeElement);
      var next = at + step;
      if (next < 0) { input.focus(); return; }
      links[Math.min(next, links.length - 1)].focus();
    }

    // A search from the address (a shared link, or Back/Forward to one): the dialog opens with its answer.
    function fromAddress() {
      var params = new URLSearchParams(window.location.search);
      var q = (params.get("q") || "").slice(0, MAX_QUERY);
      if (!q) return false;
      input.value = q;
      var filtered = false;
      selects.forEach(function (select) {
        var value = (params.get(select.dataset.timFilter) || "").slice(0, MAX_QUERY);
        if (value) { addOption(select, value, value); filtered = true; }
        select.value = value;
      });
      var sort = params.get("sort") || "";
      sortSelect.value = /^(asc|desc)$/.test(sort) ? sort : "";
      if (filtered || sortSelect.value) filterBox.open = true;
      return true;
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
    dialog.querySelector("[data-tim-search-close]").addEventListener("click", function () { close(); });
    layer.addEventListener("click", function (event) {
      var suggestion = event.target.closest && event.target.closest("[data-tim-search-suggestion]");
      if (suggestion) {
        // A suggested word: its results, here, at once.
        event.preventDefault();
        input.value = suggestion.dataset.timSearchSuggestion;
        input.focus();
        run();
        return;
      }
      // A click on the backdrop closes; so does following a result, which may be an anchor on this page.
      if (event.target === layer) close();
      else if (event.target.closest && event.target.closest("[data-tim-search-results] a, [data-tim-search-link]")) close("follow");
    });
    input.addEventListener("input", function () {
      clearTimeout(pending);
      remember();
      pending = setTimeout(function () { pending = null; run(); }, pauseFor(input.value));
    });
    selects.concat([sortSelect]).forEach(function (select) { select.addEventListener("change", run); });
    filterBox.addEventListener("toggle", function () { if (filterBox.open) loadFilters(); });
    dialog.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      // Enter before the answer to what is typed is shown (the search waits for a pause, or is running):
      // open its first result when it comes, never a result still shown for an earlier query.
      var waiting = pending !== null;
      if (waiting || list.dataset.query !== input.value.slice(0, MAX_QUERY)) {
        clearTimeout(pending);
        pending = null;
        openFirst = true;
        if (waiting || !searching) run();
        return;
      }
      var first = list.querySelector("a.tim-search__link");
      if (first && document.activeElement === input) { close("follow"); first.click(); }
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
    window.addEventListener("popstate", function (event) {
      if (backPending) {
        // The Back that closing asked for; if the reader opened the search again meanwhile, it is a new step.
        backPending = false;
        if (isOpen()) {
          history.pushState({ timSearch: true }, "", address(chosen()));
          pushed = true;
        }
        return;
      }
      if (event.state && event.state.timSearch) {
        if (fromAddress()) { open(); run(); }
      } else if (isOpen()) {
        close("back");
      }
    });
    if (fromAddress()) {
      history.replaceState({ timSearch: true }, "", address(chosen()));
      open();
      run();
    }
  }

  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();
