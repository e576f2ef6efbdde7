// Comments without page reloads. Every form here also works without this script.
(function () {
  "use strict";
  var section = document.getElementById("comments");
  if (!section || !window.fetch) return;
  var slug = section.getAttribute("data-article");

  var status = document.createElement("p");
  status.className = "comment-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", !!isError);
    var heading = document.getElementById("comments-heading");
    if (heading && status.parentNode !== section) heading.insertAdjacentElement("afterend", status);
  }

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function api(method, url, form, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(form), Accept: "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = {};
        try { data = text ? JSON.parse(text) : {}; } catch (e) { data = { detail: text }; }
        if (!response.ok) {
          var message = data.detail || "Something went wrong.";
          if (response.status === 429) message = "You are posting too fast. Try again in " + (response.headers.get("Retry-After") || "a few") + " seconds.";
          throw new Error(message);
        }
        return data;
      });
    });
  }

  // Re-render the section from the server's own template, so the page and the script agree.
  function refresh(anchorId) {
    return fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("comments");
        if (!fresh) return;
        var message = status.textContent, isError = status.classList.contains("error");
        section.innerHTML = fresh.innerHTML;
        if (message) say(message, isError);
        var target = anchorId && document.getElementById(anchorId);
        if (target) target.scrollIntoView({ block: "nearest" });
      });
  }

  // A new comment that sorts onto a later page is still shown to its author right away.
  function showOwn(comment) {
    if (document.getElementById("comment-" + comment.id)) return;
    var list = section.querySelector(".comment-list");
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment-list";
      section.appendChild(list);
    }
    var item = document.createElement("li");
    item.className = "comment awaiting";
    item.id = "comment-" + comment.id;
    var article = document.createElement("article");
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
    list.insertBefore(item, list.firstChild);
  }

  section.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.getAttribute("action") || "";
    var match;
    if (/\/comments\/$/.test(action) && form.querySelector("textarea[name=body]")) {
      event.preventDefault();
      var parent = form.querySelector("input[name=parent]");
      var payload = { body: form.querySelector("textarea[name=body]").value };
      if (parent) payload.parent = parseInt(parent.value, 10);
      api("POST", "/api/v1/articles/" + slug + "/comments/", form, payload)
        .then(function (comment) {
          say("Thanks! Your comment is awaiting moderation.");
          return refresh("comment-" + comment.id).then(function () { showOwn(comment); });
        })
        .catch(function (error) { say(error.message, true); });
    } else if ((match = action.match(/\/comments\/(\d+)\/like\/$/))) {
      event.preventDefault();
      var id = match[1];
      api("PUT", "/api/v1/comments/" + id + "/like/", form)
        .then(function (data) {
          var likes = document.querySelector("#comment-" + id + " .likes");
          if (likes) likes.textContent = data.like_count + (data.like_count === 1 ? " like" : " likes");
        })
        .catch(function (error) { say(error.message, true); });
    } else if ((match = action.match(/\/comments\/(\d+)\/flag\/$/))) {
      event.preventDefault();
      var flag = {
        reason: form.querySelector("[name=reason]").value,
        note: form.querySelector("[name=note]").value,
      };
      api("POST", "/api/v1/comments/" + match[1] + "/flags/", form, flag)
        .then(function () {
          say("Thanks, a moderator will look at this comment.");
          form.closest("details").open = false;
        })
        .catch(function (error) { say(error.message, true); });
    }
  });

  // "Show N more replies": the next page of replies, from the same page a reader without the
  // script opens, goes under its comment; the link moves on to the page after.
  section.addEventListener("click", function (event) {
    var link = event.target.closest("a.more-replies");
    if (!link) return;
    event.preventDefault();
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
      })
      .catch(function () { window.location.href = link.href; });
  });

  section.addEventListener("click", function (event) {
    var link = event.target.closest("a.load-more");
    if (!link) return;
    event.preventDefault();
    fetch(link.href, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var list = section.querySelector(".comment-list");
        doc.querySelectorAll("#comments .comment-list > li").forEach(function (item) {
          if (!document.getElementById(item.id)) list.appendChild(document.adoptNode(item));
        });
        var next = doc.querySelector("#comments a.load-more");
        if (next) link.href = next.href; else link.parentNode.remove();
      })
      .catch(function () { window.location.href = link.href; });
  });
})();
