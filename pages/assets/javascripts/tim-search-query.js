// What a query asks and what a page matched, for the header search (tim-search.js): identifiers told from
// words, Pagefind's answers checked against the words of each page, pages with some of the words, and one
// result's item filled in. No state: window.timSearchQuery.
(function () {
  "use strict";
  var W = window.timSearchWords;
  var MAX_SUBS = 3;
  var EXCERPT_WORDS = 30;

  // --- What was typed: an identifier, or words.
  function isbnValid(c) {
    var sum = 0, i;
    if (c.length === 10) {
      for (i = 0; i < 10; i++) sum += (10 - i) * (c[i] === "X" ? 10 : Number(c[i]));
      return /^\d{9}[\dX]$/.test(c) && sum % 11 === 0;
    }
    for (i = 0; i < 13; i++) sum += (i % 2 ? 3 : 1) * Number(c[i]);
    return /^\d{13}$/.test(c) && sum % 10 === 0;
  }

  function issnValid(c) {
    var sum = 0;
    for (var i = 0; i < 8; i++) sum += (8 - i) * (c[i] === "X" ? 10 : Number(c[i]));
    return /^\d{7}[\dX]$/.test(c) && sum % 11 === 0;
  }

  // An ISBN or ISSN prefix, or digits of an identifier's length: answered only with exact identifier hits.
  // Eight digits without a prefix are an ISSN only when its check digit is valid ("1999-2002" is two years).
  // Ten or thirteen are an ISBN even when the check digit is wrong: a misprint typed as printed still finds
  // its publication.
  function understand(typed) {
    var text = typed.trim();
    var prefixed = /^(isbn|issn)(?:-1[03])?\s*:?\s*/i.exec(text);
    var number = prefixed ? text.slice(prefixed[0].length) : text;
    var compact = number.replace(/[\s\u2010-\u2015-]/g, "").toUpperCase();
    var scheme = prefixed ? prefixed[1].toUpperCase() : "";
    if (/^\d[\dX]*$/.test(compact)) {
      if (/^(\d{9}[\dX]|\d{13})$/.test(compact) && scheme !== "ISSN") {
        return { identifier: "ISBN", compact: compact, shown: number.trim(), valid: isbnValid(compact) };
      }
      if (/^\d{7}[\dX]$/.test(compact) && (scheme === "ISSN" || (!scheme && issnValid(compact)))) {
        return { identifier: "ISSN", compact: compact, shown: number.trim(), valid: issnValid(compact) };
      }
      if (scheme) return { identifier: scheme, compact: compact, shown: number.trim(), valid: false, partial: true };
    }
    var typedWords = W.words(text);
    var ending = !/\s$/.test(typed);  // still typing the last word: it may be the start of one
    var terms = typedWords.map(function (word, i) {
      return { word: word, prefix: ending && i === typedWords.length - 1, exact: !W.significant(word) };
    });
    // Only short or stop words ("EU", "UN"): they are the query, matched from their start.
    if (terms.length && terms.every(function (t) { return t.exact; })) terms.forEach(function (t) { t.exact = false; });
    var needed = terms.filter(function (t) { return !t.exact; });
    return { words: terms, needed: needed, query: needed.map(function (t) { return t.word; }).join(" ") };
  }

  // --- What a result's page says it matched (its fragment's words at the locations Pagefind gives).
  // Any query word may match the start of a longer word ("traffic", "trafficking"): that is a real prefix.
  // Pagefind backs off to the longest indexed prefix of a word no indexed word begins with ("t" for
  // "traficking"), for every page alike: a query word is found, or not, in the whole index at once. So a
  // word that matches none of the first result's locations matches no page, and the results that Pagefind
  // counted for it are not matches at all.
  function missingWords(data, asked) {
    var tokens = W.tokens(data.content);
    return asked.needed.filter(function (term) {
      return !data.locations.some(function (at) {
        return W.words(tokens[at] || "").some(function (part) { return W.matches(part, term.word, true); });
      });
    });
  }

  function identifierFound(data, compact) {
    var tokens = W.tokens(data.content);
    return data.locations.some(function (at) {
      return (tokens[at] || "").replace(/[^\dXx]/g, "").toUpperCase() === compact;
    });
  }

  // The query's words in the page, near Pagefind's locations (short words only beside a matched word).
  function pageHits(data, tokens, asked, from, to) {
    if (asked.identifier) {
      return data.locations.filter(function (at) { return at >= from && at < to; }).map(function (at) {
        return { at: at, term: 0, part: (W.words(tokens[at]) || [""])[0], highlight: false };
      });
    }
    var places = {};
    data.locations.forEach(function (at) {
      for (var i = Math.max(from, at - 3); i <= Math.min(to - 1, at + 3); i++) places[i] = true;
    });
    var found = [];
    Object.keys(places).map(Number).sort(function (a, b) { return a - b; }).forEach(function (at) {
      W.hits(tokens, asked.words, at, at + 1).forEach(function (hit) { found.push(hit); });
    });
    return found;
  }

  function piecesInto(target, pieces) {
    target.textContent = "";
    pieces.forEach(function (piece) {
      if (piece.mark) {
        var mark = document.createElement("mark");
        mark.textContent = piece.text;
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(piece.text));
      }
    });
  }

  // Pages with some of the words (when few or none have them all), each word's best pages in turn.
  function someWords(module, asked, options, exclude, known) {
    var terms = asked.needed;
    return Promise.all(terms.map(function (term) {
      return module.search(term.word, options);
    })).then(function (searches) {
      // A word whose own first result does not hold it is not in the index (Pagefind backed off).
      return Promise.all(searches.map(function (search, i) {
        if (!search || !search.results.length) return false;
        if (known.indexOf(terms[i]) >= 0) return true;
        return search.results[0].data().then(function (data) { return missingWords(data, { needed: [terms[i]] }).length === 0; });
      })).then(function (real) {
        var seen = {}, matched = {}, order = [];
        exclude.forEach(function (r) { seen[r.id] = true; });
        searches.forEach(function (search, i) {
          if (!real[i]) return;
          search.results.forEach(function (r) { matched[r.id] = (matched[r.id] || 0) + 1; });
        });
        var longest = Math.max.apply(null, searches.map(function (s, i) { return real[i] ? s.results.length : 0; }).concat([0]));
        for (var rank = 0; rank < longest; rank++) {
          searches.forEach(function (search, i) {
            var r = real[i] && search.results[rank];
            if (r && !seen[r.id]) { seen[r.id] = true; order.push(r); }
          });
        }
        order.sort(function (a, b) { return (matched[b.id] || 0) - (matched[a.id] || 0); });  // stable
        return { results: order, missing: terms.filter(function (t, i) { return !real[i]; }) };
      });
    });
  }

  // One result as the dialog shows it: the template's item filled with the page's title, kind, note, an
  // excerpt where the query words occur closest together, and the sections that really hold them.
  function resultItem(template, data, asked) {
    var tokens = W.tokens(data.content);
    var item = template.content.firstElementChild.cloneNode(true);
    var link = item.querySelector(".tim-search__link");
    link.href = data.url;
    item.querySelector(".tim-search__result-title").textContent = data.meta.title || data.url;
    var kind = data.meta.kind || "Page";
    item.querySelector(".tim-search__kind").textContent = data.meta.when ? kind + " · " + data.meta.when : kind;
    var note = item.querySelector(".tim-search__note");
    if (data.meta.note) { note.textContent = data.meta.note; } else { note.remove(); }
    var whole = pageHits(data, tokens, asked, 0, tokens.length);
    piecesInto(item.querySelector(".tim-search__excerpt"), W.excerpt(tokens, whole, EXCERPT_WORDS));
    var subs = item.querySelector(".tim-search__subs");
    var anchors = (data.anchors || []).map(function (a) { return a.location; }).sort(function (a, b) { return a - b; });
    (data.sub_results || []).filter(function (sub) { return sub.anchor; }).map(function (sub) {
      var from = sub.anchor.location;
      var to = anchors.filter(function (at) { return at > from; })[0] || tokens.length;
      var found = whole.filter(function (h) { return h.at >= from && h.at < to; });
      return { sub: sub, from: from, to: to, found: found };
    }).filter(function (s) {
      // A section is offered only if a query word really is in it.
      return s.found.some(function (h) { return h.highlight || asked.identifier; });
    }).slice(0, MAX_SUBS).forEach(function (s) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = s.sub.url;
      a.className = "tim-search__sub";
      var title = document.createElement("span");
      title.className = "tim-search__sub-title";
      title.dataset.part = /^Bulletin/.test(kind) ? "Article" : "Section";
      title.textContent = s.sub.title;
      var excerpt = document.createElement("span");
      excerpt.className = "tim-search__sub-excerpt";
      piecesInto(excerpt, W.excerpt(tokens, s.found, EXCERPT_WORDS / 2, s.from, s.to));
      a.append(title, excerpt);
      li.appendChild(a);
      subs.appendChild(li);
    });
    if (!subs.children.length) subs.remove();
    return item;
  }

  window.timSearchQuery = {
    understand: understand, missingWords: missingWords, identifierFound: identifierFound, someWords: someWords,
    resultItem: resultItem,
  };
})();
