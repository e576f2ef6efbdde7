// Live threads: while the page is open, announce comments published since it was built
// ("3 new comments — show") and put them in place when the reader asks. Nothing moves until then.
(function () {
  "use strict";
  var section = document.getElementById("comments");
  // comments.js, loaded first, lends its helpers (repliesOf).
  if (!section || !window.fetch || !window.newsroomComments) return;
  var updatesUrl = section.getAttribute("data-live-url");
  var commentsUrl = section.getAttribute("data-live-comments");
  var poll = parseInt(section.getAttribute("data-live-poll"), 10) * 1000;
  var since = parseInt(section.getAttribute("data-live-since"), 10) || 0;
  var me = section.getAttribute("data-live-user");
  if (!updatesUrl || !commentsUrl || !(poll > 0)) return;

  var etag = null, latest = since, waiting = [], complete = true, busy = false;

  // Fixed on screen, so announcing takes no room from what the reader is reading. The live region
  // is there from the start: screen readers announce changes to it, not its arrival.
  var bar = document.createElement("div");
  bar.className = "live-bar";
  var message = document.createElement("span");
  message.setAttribute("aria-live", "polite");
  var show = document.createElement("button");
  show.type = "button";
  show.className = "live-show";
  show.textContent = "show";
  show.hidden = true;
  bar.appendChild(message);
  bar.appendChild(show);
  document.body.appendChild(bar);

  function onPage(id) {
    return !!document.getElementById("comment-" + id);
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function announce() {
    waiting = waiting.filter(function (c) { return !onPage(c.id); });
    if (!waiting.length && complete) {
      message.textContent = "";
      show.hidden = true;
      bar.classList.remove("active");
      return;
    }
    var mine = me ? waiting.filter(function (c) { return String(c.answers) === me; }).length : 0;
    var text = complete ? plural(waiting.length, "new comment", "new comments") : "Many new comments";
    if (mine) text += " (" + plural(mine, "reply to you", "replies to you") + ")";
    if (message.textContent !== text + " — ") message.textContent = text + " — ";
    show.textContent = complete ? "show" : "reload";
    show.hidden = false;
    bar.classList.add("active");
  }

  function take(data) {
    if (data.version < since) {  // the server's count started again: so do we, and reload
      since = latest = data.version;  // if it cannot say what was published meanwhile
      waiting = [];
      complete = data.complete;
      announce();
      return;
    }
    latest = data.version;
    complete = data.complete;
    var known = {};
    waiting.forEach(function (c) { known[c.id] = true; });
    data.comments.forEach(function (c) { if (!known[c.id]) waiting.push(c); });
    announce();
  }

  function schedule(delay) {
    window.setTimeout(check, delay);
  }

  function check() {
    if (busy || document.hidden) return schedule(poll);
    var headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(updatesUrl + "?since=" + since, { headers: headers, cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (response.status === 304) return schedule(poll);
        if (response.status === 503) {
          var wait = parseInt(response.headers.get("Retry-After"), 10) || 30;
          return schedule(Math.max(poll, wait * 1000));
        }
        if (!response.ok) return schedule(poll * 4);
        etag = response.headers.get("ETag");
        return response.json().then(function (data) { take(data); schedule(poll); });
      })
      .catch(function () { schedule(poll * 2); });
  }

  function listFor(comment) {
    var parent = comment.parent && document.getElementById("comment-" + comment.parent);
    if (parent) return { list: window.newsroomComments.repliesOf(parent), atEnd: true };
    var list = section.querySelector(".comment-list");
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment-list";
      section.appendChild(list);
    }
    return { list: list, atEnd: false };
  }

  function insert(html, entries) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var first = null, top = null;
    entries.forEach(function (comment) {
      var item = fresh.getElementById("comment-" + comment.id);
      if (!item || onPage(comment.id)) return;
      item.classList.add("live-new");
      var place = listFor(comment);
      if (place.atEnd) {
        place.list.appendChild(item);
      } else {  // new top-level comments go first, in the order they came
        place.list.insertBefore(item, top ? top.nextSibling : place.list.firstChild);
        top = item;
      }
      first = first || item;
    });
    return first;
  }

  show.addEventListener("click", function () {
    if (!complete) return window.location.reload();
    var entries = waiting.slice();
    busy = true;
    var ids = entries.map(function (c) { return c.id; }).join(",");
    fetch(commentsUrl + "?ids=" + ids, { credentials: "same-origin", headers: window.newsroomComments.authHeaders({}) })
      .then(function (response) {
        if (!response.ok) throw new Error("could not load the comments");
        return response.text();
      })
      .then(function (html) {
        var first = insert(html, entries);
        since = latest;
        etag = null;
        waiting = [];
        announce();
        if (first) {
          first.setAttribute("tabindex", "-1");
          first.focus();
        }
      })
      .catch(function () { message.textContent = "The new comments could not be loaded. Reload the page to see them. "; })
      .then(function () { busy = false; });
  });

  schedule(poll);
})();
