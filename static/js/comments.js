// Comments without page reloads. Every form and link here also works without this script.
// API addresses come from the page (data-api-thread on the section, data-api on each control).
(function () {
  "use strict";
  var section = document.getElementById("comments");
  if (!section) return;
  var LIMIT = 5000;

  // --- Character counters: count down to the limit; beyond it, say so and refuse to send.
  function counter(textarea) {
    return document.getElementById(textarea.getAttribute("aria-describedby") || "");
  }

  function countDown(textarea) {
    var output = counter(textarea);
    if (!output) return;
    var left = (parseInt(textarea.getAttribute("data-limit"), 10) || LIMIT) - textarea.value.length;
    var n = Math.abs(left), characters = n.toLocaleString("en") + (n === 1 ? " character" : " characters");
    output.textContent = left >= 0 ? characters + " left" : characters + " too many: shorten it to send";
    output.classList.toggle("over", left < 0);
    textarea.setAttribute("aria-invalid", left < 0 ? "true" : "false");
  }

  function tooLong(form) {
    var textarea = form.querySelector("textarea[data-limit]");
    if (!textarea) return false;
    countDown(textarea);
    return textarea.value.length > (parseInt(textarea.getAttribute("data-limit"), 10) || LIMIT);
  }

  section.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-limit]")) countDown(event.target);
  });
  section.querySelectorAll("textarea[data-limit]").forEach(countDown);

  // --- Relative times ("5 minutes ago"), kept current; the exact time is in the title.
  var UNITS = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];

  function ago(date) {
    var seconds = Math.max(0, (Date.now() - date.getTime()) / 1000);
    for (var i = 0; i < UNITS.length; i++) {
      var n = Math.floor(seconds / UNITS[i][1]);
      if (n >= 1) return n + " " + UNITS[i][0] + (n === 1 ? "" : "s") + " ago";
    }
    return "just now";
  }

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }

  // Each second: relative times, and each Edit's time left; an Edit whose time is up goes.
  function tick() {
    section.querySelectorAll(".comment-meta time[datetime]").forEach(function (time) {
      var date = new Date(time.getAttribute("datetime"));
      if (!isNaN(date)) time.textContent = ago(date);
    });
    section.querySelectorAll("[data-until]").forEach(function (control) {
      var left = (new Date(control.getAttribute("data-until")).getTime() - Date.now()) / 1000;
      var label = control.querySelector(".edit-left");
      if (left > 0) {
        if (label) label.textContent = "(" + clock(left) + " left)";
        return;
      }
      var item = control.closest("li.comment");
      var editor = item && item.querySelector(".inline-edit");
      if (editor) {
        editor.querySelector("button[type=submit]").disabled = true;
        note(item, "The time to edit this comment has passed.", true);
      }
      control.remove();
    });
  }
  tick();
  window.setInterval(tick, 1000);

  // A permalink (?comment=<id>, with or without its #c<id>): the comment in view and focused,
  // so keyboard and screen reader users start there too.
  var opened = (window.location.search.match(/[?&]comment=(\d+)/) || [])[1];
  var openedAt = opened && document.getElementById("c" + opened);
  if (openedAt) {
    openedAt.scrollIntoView({ block: "start" });
    openedAt.focus({ preventScroll: true });
  }

  // Esc closes an open Report or Reply and puts focus back on its button.
  section.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = event.target.closest && event.target.closest("details[open].flag, details[open].reply");
    if (!open) return;
    open.open = false;
    open.querySelector("summary").focus();
  });

  if (!window.fetch) return;
  var threadApi = section.getAttribute("data-api-thread");

  // --- Messages said where the reader acts: a live region in the comment, made before the
  // answer comes so that screen readers announce it.
  function region(item) {
    var holder = item || section;
    var existing = holder.querySelector(":scope > .comment-note");
    if (existing) return existing;
    var created = document.createElement("p");
    created.className = "comment-note";
    created.setAttribute("role", "status");
    created.setAttribute("aria-live", "polite");
    var anchor = item ? item.querySelector(":scope > article") : section.querySelector(".comment-form");
    if (anchor) anchor.insertAdjacentElement("afterend", created);
    else holder.appendChild(created);
    return created;
  }

  function note(item, text, isError) {
    var live = region(item);
    window.setTimeout(function () {
      live.textContent = text;
      live.classList.toggle("error", !!isError);
    }, 30);
  }

  function csrfToken() {
    var input = section.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // In a newsroom's frame (embed-frame.js) the reader is signed in by the newsroom's token, not
  // a session: it goes with every request for them.
  function authHeaders(headers) {
    if (window.newsroomBearer) headers.Authorization = "Bearer " + window.newsroomBearer;
    return headers;
  }

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: authHeaders({ "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" }),
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = {};
        try { data = text ? JSON.parse(text) : {}; } catch (e) { data = { detail: text }; }
        if (!response.ok) {
          var message = data.detail || firstError(data) || "Something went wrong.";
          if (response.status === 429) message = "You are posting too fast. Try again in " + (response.headers.get("Retry-After") || "a few") + " seconds.";
          throw new Error(message);
        }
        return data;
      });
    });
  }

  function firstError(data) {
    for (var key in data) {
      if (Array.isArray(data[key]) && data[key].length) return data[key][0];
    }
    return "";
  }

  // The page as the server renders it now, to take fresh comments and counts from.
  function freshPage(address) {
    return fetch(address || window.location.pathname + window.location.search, { credentials: "same-origin", headers: authHeaders({}) })
      .then(function (r) { return r.text(); })
      .then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
  }

  function syncCounts(doc) {
    [".comment-total", ".comment-count"].forEach(function (selector) {
      var fresh = doc.querySelector(selector), here = document.querySelector(selector);
      if (fresh && here) here.replaceWith(document.adoptNode(fresh));
    });
  }

  function itemOf(id) { return document.getElementById("comment-" + id); }

  // A comment the reader just wrote, as the server renders it when it is on this page, else a
  // plain copy marked as awaiting moderation.
  function ownItem(doc, comment) {
    var fresh = doc.getElementById("comment-" + comment.id);
    if (fresh) return document.adoptNode(fresh);
    var item = document.createElement("li");
    item.className = "comment awaiting depth-" + comment.depth;
    item.id = "comment-" + comment.id;
    var article = document.createElement("article");
    article.id = "c" + comment.id;
    article.tabIndex = -1;
    var meta = document.createElement("header");
    meta.className = "comment-meta";
    var author = document.createElement("strong");
    author.className = "comment-author";
    author.textContent = comment.author;
    var label = document.createElement("span");
    label.className = "awaiting-label";
    label.textContent = "awaiting moderation";
    meta.append(author, label);
    var body = document.createElement("div");
    body.className = "comment-body";
    body.innerHTML = comment.body_html; // rendered and escaped by the server when it was saved
    article.append(meta, body);
    item.appendChild(article);
    return item;
  }

  // A comment's list of replies, made (before its "more replies" link) when it has none yet.
  function repliesOf(parent) {
    var replies = parent.querySelector(":scope > ol.replies");
    if (!replies) {
      replies = document.createElement("ol");
      replies.className = "replies";
      parent.insertBefore(replies, parent.querySelector(":scope > p.more-replies"));
    }
    return replies;
  }

  // Where the thread puts it: a reply at the end of its parent's replies; a new comment first
  // under Newest, last under Oldest and Most liked.
  function place(item, comment) {
    var parent = comment.parent && itemOf(comment.parent);
    if (parent) {
      repliesOf(parent).appendChild(item);
      return;
    }
    var list = section.querySelector("ol.comment-list");
    if (section.getAttribute("data-sort") === "newest") list.insertBefore(item, list.firstChild);
    else list.appendChild(item);
  }

  function post(form) {
    var parent = form.querySelector("input[name=parent]");
    var textarea = form.querySelector("textarea[name=body]");
    var payload = { body: textarea.value };
    if (parent) payload.parent = parseInt(parent.value, 10);
    var where = form.closest("li.comment");
    api("POST", threadApi, payload)
      .then(function (comment) {
        var address = permalink(comment.id);
        return freshPage(address).then(function (doc) {
          var existing = itemOf(comment.id);
          if (existing) existing.remove();
          var item = ownItem(doc, comment);
          place(item, comment);
          syncCounts(doc);
          section.querySelectorAll(":scope > p.empty.first-comment").forEach(function (empty) { empty.remove(); });
          textarea.value = "";
          countDown(textarea);
          var details = form.closest("details");
          if (details) details.open = false;
          // A reload (or a shared address) opens the page that holds it, with its Edit and Delete.
          if (window.history.replaceState) window.history.replaceState(null, "", address + "#c" + comment.id);
          note(item, statusText(item, true));
          tickItem(item);
          item.scrollIntoView({ block: "nearest" });
          if (item.classList.contains("awaiting")) watch(comment, address, 0);
        });
      })
      .catch(function (error) { note(where, error.message, true); });
  }

  // The page's address that opens at a comment (its permalink, in the sort the reader chose).
  function permalink(id) {
    var sort = section.getAttribute("data-sort");
    return window.location.pathname + "?" + (sort && sort !== "oldest" ? "sort=" + encodeURIComponent(sort) + "&" : "") + "comment=" + id;
  }

  function statusText(item, justPosted) {
    if (item.classList.contains("awaiting")) return "Thanks! Your comment is awaiting moderation.";
    if (item.classList.contains("not-published")) return "Your comment was not published.";
    return justPosted ? "Thanks! Your comment is published." : "Your comment is published.";
  }

  // One's own comment awaiting moderation: ask again (sooner first, then less often, for a few
  // minutes) until the checks or a moderator decided, and show what they decided in its place.
  var WATCH = [1000, 1000, 2000, 2000, 3000, 5000, 5000, 10000, 10000, 15000, 30000, 30000, 60000, 60000];
  function watch(comment, address, attempt) {
    if (attempt >= WATCH.length) return;
    window.setTimeout(function () {
      var item = itemOf(comment.id);
      if (!item || !item.classList.contains("awaiting")) return;
      if (item.querySelector(".inline-edit") || document.hidden) return watch(comment, address, attempt + 1);
      freshPage(address).then(function (doc) {
        var fresh = doc.getElementById("comment-" + comment.id);
        var here = itemOf(comment.id);
        if (!fresh || !here || fresh.classList.contains("awaiting")) return watch(comment, address, attempt + 1);
        var focused = here.contains(document.activeElement);
        var replacement = document.adoptNode(fresh);
        here.replaceWith(replacement);
        syncCounts(doc);
        tickItem(replacement);
        note(replacement, statusText(replacement, false));
        if (focused) replacement.querySelector(":scope > article").focus();
      }).catch(function () { watch(comment, address, attempt + 1); });
    }, WATCH[attempt]);
  }

  function tickItem(item) {
    item.querySelectorAll("textarea[data-limit]").forEach(countDown);
    tick();
  }

  function like(form) {
    var button = form.querySelector("button[aria-pressed]");
    var liked = button.getAttribute("aria-pressed") === "true";
    var item = form.closest("li.comment");
    api(liked ? "DELETE" : "PUT", form.getAttribute("data-api"))
      .then(function (data) {
        button.setAttribute("aria-pressed", data.liked ? "true" : "false");
        button.value = data.liked ? "unlike" : "like";
        var likes = item.querySelector(":scope > article .likes");
        if (likes) likes.textContent = data.like_count + (data.like_count === 1 ? " like" : " likes");
      })
      .catch(function (error) { note(item, error.message, true); });
  }

  function report(form) {
    var item = form.closest("li.comment");
    var flag = { reason: form.querySelector("[name=reason]").value, note: form.querySelector("[name=note]").value };
    api("POST", form.getAttribute("data-api"), flag)
      .then(function () {
        form.closest("details").open = false;
        note(item, "Thanks, a moderator will look at this comment.");
      })
      .catch(function (error) { note(item, error.message, true); });
  }

  section.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches(".inline-edit")) return; // comments-actions.js
    if (form.querySelector("textarea[name=body]") && tooLong(form)) {
      event.preventDefault();
      form.querySelector("textarea[name=body]").focus();
      return;
    }
    if (!threadApi) return;
    if (form.querySelector("textarea[name=body]")) {
      event.preventDefault();
      post(form);
    } else if (form.matches(".like-form")) {
      event.preventDefault();
      like(form);
    } else if (form.matches("details.flag form")) {
      event.preventDefault();
      report(form);
    }
  });

  // Links the scripts take over: each selector's handler runs instead of following the link.
  function onLinks(handlers) {
    section.addEventListener("click", function (event) {
      var target = event.target.closest("a");
      if (!target || !section.contains(target)) return;
      for (var selector in handlers) {
        if (target.matches(selector)) {
          event.preventDefault();
          handlers[selector](target);
          return;
        }
      }
    });
  }

  onLinks({ "a.more-replies": moreReplies, "a.load-more": loadMore });

  // "Show N more replies": the next page of replies, from the same page a reader without the
  // script opens, goes under its comment; the link moves on to the page after.
  function moreReplies(link) {
    var holder = link.closest("li.comment") || section;
    fetch(link.href, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var list = holder.querySelector(":scope > ol.replies");
        if (!list) {
          list = document.createElement("ol");
          list.className = "replies";
          link.parentNode.insertAdjacentElement("beforebegin", list);
        }
        doc.querySelectorAll("#comments > ol.replies > li").forEach(function (item) {
          if (!document.getElementById(item.id)) list.appendChild(document.adoptNode(item));
        });
        var next = doc.querySelector("#comments > p.more-replies a.more-replies");
        if (next) {
          link.href = next.href;
          link.textContent = next.textContent;
        } else {
          link.parentNode.remove();
        }
        tick();
      })
      .catch(function () { window.location.href = link.href; });
  }

  // "Load more comments": the next page goes at the end, and keyboard focus to its first comment.
  function loadMore(link) {
    fetch(link.href, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var list = section.querySelector(".comment-list");
        var first = null;
        doc.querySelectorAll("#comments .comment-list > li").forEach(function (item) {
          if (document.getElementById(item.id)) return;
          list.appendChild(document.adoptNode(item));
          first = first || item;
        });
        var next = doc.querySelector("#comments a.load-more");
        if (next) link.href = next.href; else link.parentNode.remove();
        tick();
        var target = first && first.querySelector(":scope > article");
        if (target) target.focus();
      })
      .catch(function () { window.location.href = link.href; });
  }

  // For comments-actions.js (Edit in place, Delete, Copy link), loaded after this file.
  window.newsroomComments = { section: section, api: api, authHeaders: authHeaders, note: note, region: region, countDown: countDown, tooLong: tooLong, freshPage: freshPage, syncCounts: syncCounts, LIMIT: LIMIT, repliesOf: repliesOf, onLinks: onLinks };
})();
