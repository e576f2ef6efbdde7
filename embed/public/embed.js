/* The newsroom's comments on its own pages. Paste where the comments go:
 *   <div id="newsroom-comments" data-story-url="https://www.example-news.com/2026/11/a-story/"
 *        data-story-title="A story"></div>
 *   <script src="https://<this site>/embed.js" async></script>
 * It frames /embed/?url=<page URL>, keeps the frame as tall as the thread, signs the newsroom's
 * reader in and out (NewsroomComments.login(token), NewsroomComments.logout()), and sends a
 * passage the reader selects on the page (Ctrl+Enter) to the report form in the frame. Messages
 * go to this site's origin only and are taken from the frame only. No framework, no cookies.
 * Optional: data-login-url (where "Sign in to comment" in the frame sends the reader). Events on
 * the div: newsroom-comments:ready, :signed-in, :signed-out, :error, :login-request. */
(function () {
  "use strict";
  var script = document.currentScript;
  var box = document.getElementById("newsroom-comments");
  if (!script || !box || box.querySelector("iframe")) return;
  var PREFIX = "newsroom-comments:";
  var site = new URL(script.src, location.href).origin;
  var page = new URL(box.getAttribute("data-story-url") || location.href, location.href);
  // The story's address as the site keeps it: no query, no fragment (the URL API lower-cases the
  // scheme and host and drops a default port), so every reader's frame shares one cached thread.
  var src = site + "/embed/?url=" + encodeURIComponent(page.origin + page.pathname);
  var title = box.getAttribute("data-story-title") || document.title;
  if (title) src += "&title=" + encodeURIComponent(title.slice(0, 300));

  var frame = document.createElement("iframe");
  frame.src = src;
  frame.title = "Comments";
  frame.setAttribute("scrolling", "no");
  frame.style.width = "100%";
  frame.style.height = "240px";
  frame.style.border = "0";
  frame.style.display = "block";
  box.appendChild(frame);

  var token = null, revoke = null, ready = false;

  function send(message) {
    if (ready) frame.contentWindow.postMessage(message, site);
  }

  function emit(name, detail) {
    box.dispatchEvent(new CustomEvent(PREFIX + name, { bubbles: true, detail: detail || {} }));
  }

  // Each load of the frame (sorting reloads it) says hello; the frame answers "ready".
  frame.addEventListener("load", function () {
    ready = false;
    frame.contentWindow.postMessage({ type: PREFIX + "hello", login: !!box.getAttribute("data-login-url") }, site);
  });

  window.addEventListener("message", function (event) {
    if (event.origin !== site || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || typeof data.type !== "string" || data.type.indexOf(PREFIX) !== 0) return;
    var type = data.type.slice(PREFIX.length);
    if (type === "ready") {
      ready = true;
      if (revoke) send({ type: PREFIX + "logout", token: revoke });
      revoke = null;
      if (token) send({ type: PREFIX + "login", token: token });
    } else if (type === "height") {
      var height = Math.ceil(Number(data.height));
      if (height >= 0 && height < 100000) frame.style.height = height + "px";
    } else if (type === "login-request") {
      emit("login-request");
      var login = box.getAttribute("data-login-url");
      if (login) location.assign(login);
    } else if (type === "signed-in" || type === "signed-out" || type === "error") {
      emit(type, { username: String(data.username || ""), detail: String(data.detail || "") });
    }
  });

  // --- A passage selected on this page, Ctrl+Enter (Cmd+Enter): the report form in the frame.
  var CONTEXT = 32;

  function textBetween(startNode, startOffset, endNode, endOffset) {
    var range = document.createRange();
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset);
    return range.toString().replace(/\s+/g, " ");
  }

  function selectedPassage() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    if (box.contains(range.commonAncestorContainer)) return null;
    var quote = range.toString().trim();
    if (!quote) return null;
    var root = range.commonAncestorContainer;
    root = (root.nodeType === 1 ? root : root.parentNode).closest("article, main") || document.body;
    return {
      quote: quote,
      prefix: textBetween(root, 0, range.startContainer, range.startOffset).slice(-CONTEXT).replace(/^\s+/, ""),
      suffix: textBetween(range.endContainer, range.endOffset, root, root.childNodes.length).slice(0, CONTEXT).replace(/\s+$/, ""),
    };
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || !ready) return;
    var passage = selectedPassage();
    if (!passage) return;
    event.preventDefault();
    passage.type = PREFIX + "correction";
    send(passage);
    frame.scrollIntoView({ block: "start" });
  });

  window.NewsroomComments = {
    login: function (newToken) {
      token = String(newToken || "") || null;
      if (token) send({ type: PREFIX + "login", token: token });
    },
    logout: function () {
      var old = token;
      token = null;
      if (!old) return;
      if (ready) send({ type: PREFIX + "logout", token: old });
      else revoke = old;
    },
  };
  emit("ready");
})();
