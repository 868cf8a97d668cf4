// Words for the header search (tim-search.js): how a query and a page's text are cut into words, compared,
// highlighted and excerpted, and how near a typo is to a real word. Pure functions, no page access:
// window.timSearchWords.
(function () {
  "use strict";

  // Words a reader types between the words they mean: never highlighted, never required to match.
  var STOP = {};
  ("a an and are as at be but by for from has have in into is it its of on or that the their this to was were " +
   "which with").split(" ").forEach(function (w) { STOP[w] = true; });

  // Lower case, accents off: "Bénin" and "benin" are one word, as in Pagefind's index.
  function fold(word) {
    return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // The words of a text: letters and digits; hyphens and dashes cut words ("T-visa" is "T" and "visa"),
  // apostrophes do not ("women's").
  function words(text) {
    return (text.match(/[\p{L}\p{N}][\p{L}\p{N}'\u2019]*/gu) || []).map(function (w) { return w.replace(/['\u2019]+$/, ""); });
  }

  // A word that must match: three letters or more, and not a stop word.
  function significant(word) {
    return word.length >= 3 && !STOP[fold(word)];
  }

  // --- The English (Porter2) stemmer, the algorithm Pagefind's index uses, so that "visas" finds "visa"
  // and a word's forms are told apart from a shortened word. Written from the published algorithm
  // (snowballstem.org/algorithms/english); tests/test_browser.py compares it with the Snowball stemmer.
  var VOWEL = /[aeiouy]/;
  var EXCEPTIONS = {
    skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
    ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe",
    atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes",
  };
  var AFTER_1A = { inning: 1, outing: 1, canning: 1, herring: 1, earring: 1, proceed: 1, exceed: 1, succeed: 1 };
  var DOUBLES = { bb: 1, dd: 1, ff: 1, gg: 1, mm: 1, nn: 1, pp: 1, rr: 1, tt: 1 };
  var STEP2 = [
    ["ization", "ize"], ["ational", "ate"], ["fulness", "ful"], ["ousness", "ous"], ["iveness", "ive"],
    ["tional", "tion"], ["biliti", "ble"], ["lessli", "less"], ["entli", "ent"], ["ation", "ate"],
    ["alism", "al"], ["aliti", "al"], ["ousli", "ous"], ["iviti", "ive"], ["fulli", "ful"], ["enci", "ence"],
    ["anci", "ance"], ["abli", "able"], ["izer", "ize"], ["ator", "ate"], ["alli", "al"], ["bli", "ble"],
    ["ogi", "og"], ["li", ""],
  ];
  var STEP3 = [
    ["ational", "ate"], ["tional", "tion"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"], ["ative", ""],
    ["ical", "ic"], ["ness", ""], ["ful", ""],
  ];
  var STEP4 = ["ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous", "ive",
    "ize", "ion", "al", "er", "ic"];

  function isVowel(c) { return VOWEL.test(c); }

  // Where R1 and R2 begin: after the first non-vowel that follows a vowel (R1), and again after that (R2).
  function regions(w) {
    var r1 = w.length;
    var prefix = /^(gener|commun|arsen)/.exec(w);
    if (prefix) {
      r1 = prefix[0].length;
    } else {
      for (var i = 1; i < w.length; i++) {
        if (!isVowel(w[i]) && isVowel(w[i - 1])) { r1 = i + 1; break; }
      }
    }
    var r2 = w.length;
    for (var j = r1 + 1; j < w.length; j++) {
      if (!isVowel(w[j]) && isVowel(w[j - 1])) { r2 = j + 1; break; }
    }
    return [r1, r2];
  }

  // A short syllable ends the word part `w`: non-vowel, vowel, non-vowel (not w, x or Y), or a vowel then a
  // non-vowel at the start.
  function endsShort(w) {
    var n = w.length;
    if (n === 2) return isVowel(w[0]) && !isVowel(w[1]);
    return n > 2 && !isVowel(w[n - 3]) && isVowel(w[n - 2]) && !isVowel(w[n - 1]) && !/[wxY]/.test(w[n - 1]);
  }

  function stem(input) {
    var w = fold(input);
    if (w.length <= 2) return w;
    if (EXCEPTIONS[w]) return EXCEPTIONS[w];
    w = w.replace(/^'/, "");
    w = w.replace(/^y/, "Y").replace(/([aeiouy])y/g, "$1Y");
    var rr = regions(w), r1 = rr[0], r2 = rr[1];
    // Step 0
    w = w.replace(/('s'|'s|')$/, "");
    // Step 1a
    if (/sses$/.test(w)) w = w.slice(0, -2);
    else if (/(ied|ies)$/.test(w)) w = w.slice(0, -3) + (w.length > 4 ? "i" : "ie");
    else if (/(us|ss)$/.test(w)) { /* kept */ }
    else if (/s$/.test(w) && /[aeiouy]/.test(w.slice(0, -2))) w = w.slice(0, -1);
    if (AFTER_1A[w]) return w;
    // Step 1b
    var m;
    if ((m = /(eedly|eed)$/.exec(w))) {
      if (m.index >= r1) w = w.slice(0, m.index) + "ee";
    } else if ((m = /(ingly|edly|ing|ed)$/.exec(w)) && VOWEL.test(w.slice(0, m.index))) {
      w = w.slice(0, m.index);
      if (/(at|bl|iz)$/.test(w)) w += "e";
      else if (DOUBLES[w.slice(-2)]) w = w.slice(0, -1);
      else if (r1 >= w.length && endsShort(w)) w += "e";
    }
    // Step 1c
    if (/.[^aeiouy][yY]$/.test(w)) w = w.slice(0, -1) + "i";
    // Step 2
    for (var i = 0; i < STEP2.length; i++) {
      var s2 = STEP2[i][0];
      if (w.slice(-s2.length) !== s2) continue;
      var at2 = w.length - s2.length;
      if (at2 >= r1) {
        if (s2 === "ogi") { if (w[at2 - 1] === "l") w = w.slice(0, at2) + "og"; }
        else if (s2 === "li") { if (/[cdeghkmnrt]/.test(w[at2 - 1] || "")) w = w.slice(0, at2); }
        else w = w.slice(0, at2) + STEP2[i][1];
      }
      break;
    }
    // Step 3
    for (var k = 0; k < STEP3.length; k++) {
      var s3 = STEP3[k][0];
      if (w.slice(-s3.length) !== s3) continue;
      var at3 = w.length - s3.length;
      if (at3 >= r1 && (s3 !== "ative" || at3 >= r2)) w = w.slice(0, at3) + STEP3[k][1];
      break;
    }
    // Step 4
    for (var l = 0; l < STEP4.length; l++) {
      var s4 = STEP4[l];
      if (w.slice(-s4.length) !== s4) continue;
      var at4 = w.length - s4.length;
      if (at4 >= r2 && (s4 !== "ion" || /[st]/.test(w[at4 - 1] || ""))) w = w.slice(0, at4);
      break;
    }
    // Step 5
    if (/e$/.test(w)) {
      var at5 = w.length - 1;
      if (at5 >= r2 || (at5 >= r1 && !endsShort(w.slice(0, at5)))) w = w.slice(0, at5);
    } else if (/ll$/.test(w) && w.length - 1 >= r2) {
      w = w.slice(0, -1);
    }
    return w.replace(/Y/g, "y");
  }

  // Does the word of a page `found` match the query word `typed`? It does if it is the typed word, a longer
  // word it begins (typing on, "traff" finds "trafficking"), or another form of it ("visas", "visa").
  // A word that shares only the start of the typed word ("T" for "traficking") does not: that is
  // Pagefind's back-off to a shorter prefix.
  function matches(found, typed, prefix) {
    var f = fold(found), t = fold(typed);
    if (f === t) return true;
    if (prefix && f.indexOf(t) === 0) return true;
    var sf = stem(f), st = stem(t);
    return prefix ? sf.indexOf(st) === 0 : sf === st;
  }

  // Damerau-Levenshtein distance (adjacent swaps count one), given up beyond `limit`.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = null, prev = [], row, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        row.push(v);
        if (v < best) best = v;
      }
      if (best > limit) return limit + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  // The nearest words of the vocabulary (most frequent first) to `typed`: one edit away for short words,
  // two for longer ones; at most `count`.
  function nearest(typed, vocabulary, count) {
    var t = fold(typed);
    var limit = t.length <= 4 ? 1 : 2;
    var found = [[], [], []];
    for (var i = 0; i < vocabulary.length; i++) {
      var word = vocabulary[i];
      if (word === t || STOP[word]) continue;
      var d = distance(t, fold(word), limit);
      if (d <= limit) found[d].push(word);
    }
    return found[1].concat(found[2]).slice(0, count);
  }

  // The words of a page's text, as Pagefind numbers them (split at white space), each with its parts.
  function tokens(content) {
    return content.split(/[\r\n\s]+/);
  }

  // The query's words, found in the page: [{at: token number, term: query word number}], for the terms
  // that can match (`terms`: [{word, prefix, exact}]; a short or stop word matches only as itself).
  function hits(pageTokens, terms, from, to) {
    var found = [];
    for (var i = from; i < to; i++) {
      var parts = words(pageTokens[i]);
      for (var p = 0; p < parts.length; p++) {
        for (var t = 0; t < terms.length; t++) {
          var term = terms[t];
          var ok = term.exact ? fold(parts[p]) === fold(term.word) : matches(parts[p], term.word, term.prefix);
          if (ok) { found.push({ at: i, term: t, part: parts[p], highlight: !term.exact }); }
        }
      }
    }
    return found;
  }

  // The stretch of the text, shorter than an excerpt, holding the most distinct query words, and of those the
  // shortest: where they occur closest together.
  function closest(found, length) {
    var best = null, counts = {}, distinct = 0, start = 0;
    for (var end = 0; end < found.length; end++) {
      if (!counts[found[end].term]) distinct++;
      counts[found[end].term] = (counts[found[end].term] || 0) + 1;
      while (start < end && (found[end].at - found[start].at >= length || counts[found[start].term] > 1)) {
        if (--counts[found[start].term] === 0) distinct--;
        start++;
      }
      var span = found[end].at - found[start].at;
      if (!best || distinct > best.distinct || (distinct === best.distinct && span < best.span)) {
        best = { distinct: distinct, span: span, from: found[start].at, to: found[end].at };
      }
    }
    return best;
  }

  // An excerpt of `length` words around where the query words occur closest together, as pieces of text
  // [{text, mark}] (the caller makes text nodes and <mark>s of them: nothing here is HTML).
  function excerpt(pageTokens, found, length, from, to) {
    from = from || 0;
    to = Math.min(to || pageTokens.length, pageTokens.length);
    var place = closest(found, length);
    var start = from;
    if (place) start = Math.max(from, Math.floor((place.from + place.to) / 2 - length / 2));
    start = Math.max(from, Math.min(start, to - length));
    var end = Math.min(to, start + length);
    var marked = {};
    found.forEach(function (h) { if (h.highlight) (marked[h.at] = marked[h.at] || []).push(fold(h.part)); });
    var pieces = [];
    function text(s) {
      if (pieces.length && !pieces[pieces.length - 1].mark) pieces[pieces.length - 1].text += s;
      else pieces.push({ text: s, mark: false });
    }
    if (start > from) text("… ");
    for (var i = start; i < end; i++) {
      var token = pageTokens[i];
      var want = marked[i];
      if (!want) { text(token); } else {
        // Only the matching word is marked, not the punctuation around it, nor the other half of "T-visa".
        var rest = token;
        var re = /[\p{L}\p{N}][\p{L}\p{N}'\u2019]*/gu, m, last = 0;
        while ((m = re.exec(token))) {
          var w = m[0].replace(/['\u2019]+$/, "");
          if (want.indexOf(fold(w)) >= 0) {
            if (m.index > last) text(token.slice(last, m.index));
            pieces.push({ text: w, mark: true });
            last = m.index + w.length;
          }
        }
        rest = token.slice(last);
        if (rest) text(rest);
      }
      if (i < end - 1) text(" ");
    }
    if (end < to) text(" …");
    return pieces;
  }

  window.timSearchWords = {
    fold: fold, words: words, significant: significant, stem: stem, matches: matches, distance: distance,
    nearest: nearest, tokens: tokens, hits: hits, excerpt: excerpt, isStop: function (w) { return !!STOP[fold(w)]; },
  };
})();
