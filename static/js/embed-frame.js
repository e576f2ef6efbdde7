// The thread inside a newsroom's frame (/embed/<slug>/). It talks only to its parent page on a
// permitted site (data-origins, the same list as the page's frame-ancestors): it reports its
// height, signs the newsroom's reader in with the token embed.js sends (the reader's own view of
// the thread, fetched with it; no cookies: browsers block them in frames), signs them out
// (revoking the token), and opens the report form with a passage selected on the host page.
// Without this script the thread still reads, pages and links out (in a new tab).
(function () {
  "use strict";
  var PREFIX = "newsroom-comments:";
  var body = document.body;
  if (window.parent === window || !window.fetch) return; // opened on its own: nothing to talk to
  var permitted = (body.getAttribute("data-origins") || "").split(" ").filter(Boolean);
  var parentOrigin = null, hostLogin = false, lastHeight = 0;

  function tell(message) {
    if (parentOrigin) window.parent.postMessage(message, parentOrigin);
  }

  // --- Height: the frame is as tall as the thread (an open dialog counts, being in the top layer).
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    var dialog = document.querySelector("dialog[open]");
    if (dialog) height = Math.max(height, Math.ceil(dialog.getBoundingClientRect().bottom) + 16);
    if (height === lastHeight) return;
    lastHeight = height;
    tell({ type: PREFIX + "height", height: height });
  }
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
  document.addEventListener("close", report, true); // a dialog closing

  // --- Links: the thread's own (sorting, paging) stay in the frame; others open a tab (<base>).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (link.origin === location.origin && link.pathname === location.pathname) {
      event.preventDefault();
      location.assign(link.href);
    }
  });

  // --- Signing in: the thread as this reader sees it, fetched with their token, in place.
  function moveChildren(from, to) {
    to.replaceChildren.apply(to, Array.from(from.childNodes).map(function (node) { return document.adoptNode(node); }));
  }

  function swap(doc) {
    var here = document.getElementById("comments"), fresh = doc.getElementById("comments");
    if (!here || !fresh) return;
    fresh.querySelectorAll("script").forEach(function (script) { script.remove(); });
    // The section element stays: comments.js listens on it.
    Array.from(fresh.attributes).forEach(function (a) { here.setAttribute(a.name, a.value); });
    moveChildren(fresh, here);
    var who = document.getElementById("embed-who"), freshWho = doc.getElementById("embed-who");
    if (who && freshWho) moveChildren(freshWho, who);
    if (window.newsroomComments) here.querySelectorAll("textarea[data-limit]").forEach(window.newsroomComments.countDown);
    takeLoginPrompt();
  }

  function signIn(token) {
    if (!token) return;
    fetch(location.href, { headers: { Authorization: "Bearer " + token }, credentials: "omit", cache: "no-store" })
      .then(function (response) {
        return response.text().then(function (text) {
          if (!response.ok) throw new Error(response.status === 401 ? text.trim() : "The comments could not be loaded.");
          return text;
        });
      })
      .then(function (html) {
        window.newsroomBearer = token;
        swap(new DOMParser().parseFromString(html, "text/html"));
        var name = document.querySelector("#embed-who strong");
        tell({ type: PREFIX + "signed-in", username: name ? name.textContent : "" });
      })
      .catch(function (error) {
        window.newsroomBearer = null;
        tell({ type: PREFIX + "error", detail: error.message });
      });
  }

  // Signing out revokes the token (its jti, until it expires) and shows the thread as anyone sees it.
  function signOut(token) {
    var signedIn = !!window.newsroomBearer;
    window.newsroomBearer = null;
    function done() {
      tell({ type: PREFIX + "signed-out" });
      if (signedIn) location.reload();
    }
    if (!token) return done();
    fetch(body.getAttribute("data-logout"), {
      method: "DELETE", headers: { Authorization: "Bearer " + token }, credentials: "omit",
    }).then(done, done);
  }

  // Where the host page signs its readers in (data-login-url), "Log in to comment" asks it to.
  function takeLoginPrompt() {
    var prompt = document.querySelector(".login-prompt");
    if (!prompt || !hostLogin || window.newsroomBearer) return;
    var link = document.createElement("a");
    link.href = "#";
    link.className = "host-login";
    link.textContent = "Sign in to comment";
    prompt.replaceChildren(link, ".");
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("a.host-login")) return;
    event.preventDefault();
    tell({ type: PREFIX + "login-request" });
  });

  function correction(data) {
    if (!window.newsroomCorrections) return;
    window.newsroomCorrections.open({
      quote: String(data.quote || "").trim(), prefix: String(data.prefix || ""), suffix: String(data.suffix || ""),
    });
    report();
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || permitted.indexOf(event.origin) < 0) return;
    if (parentOrigin && event.origin !== parentOrigin) return;
    var data = event.data;
    if (!data || typeof data.type !== "string" || data.type.indexOf(PREFIX) !== 0) return;
    var type = data.type.slice(PREFIX.length);
    if (type === "hello") {
      parentOrigin = event.origin;
      hostLogin = !!data.login;
      takeLoginPrompt();
      tell({ type: PREFIX + "ready" });
      lastHeight = 0;
      report();
    } else if (type === "login") {
      signIn(String(data.token || ""));
    } else if (type === "logout") {
      signOut(String(data.token || ""));
    } else if (type === "correction") {
      correction(data);
    }
  });
})();
