// The moderation queue with the keyboard and without page reloads. Every form here also works
// without this script, posting to the pages; the script sends the same choices to the moderation
// API (/api/v1/moderation/), at the addresses the page gives in `data-api` attributes.
(function () {
  "use strict";
  var root = document.getElementById("moderation");
  if (!root || !window.fetch) return;

  var list = document.getElementById("review-items");
  var statusText = root.querySelector(".moderation-status .status-text");
  var help = document.getElementById("keys-help");
  var keysButton = root.querySelector(".keys-button");
  var undoForm = root.querySelector(".undo-form");
  var current = -1;
  var undoTimer = null;

  function items() {
    return list ? Array.prototype.slice.call(list.querySelectorAll(".review-item")) : [];
  }

  function say(text, isError) {
    if (!statusText) return;
    statusText.textContent = text;
    statusText.parentNode.classList.toggle("error", !!isError);
  }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var PAST_TENSE = { approve: "Approved", reject: "Rejected", escalate: "Escalated" };

  // The first thing the server said: its `detail`, or the first field's error ("reason: ...").
  function said(data) {
    if (data.detail) return data.detail;
    for (var field in data) {
      var errors = data[field];
      if (Array.isArray(errors) && errors.length) {
        return (field === "non_field_errors" ? "" : field + ": ") + errors[0];
      }
    }
    return "";
  }

  function request(url, headers, body) {
    headers.Accept = "application/json";
    headers["X-CSRFToken"] = csrf();
    return fetch(url, { method: "POST", credentials: "same-origin", headers: headers, body: body })
      .then(function (response) {
        return response.text().then(function (text) {
          var data = {};
          var parsed = true;
          try { data = text ? JSON.parse(text) : {}; } catch (e) { parsed = false; data = { detail: "Unexpected answer from the server (" + response.status + "): reload the page." }; }
          if (!response.ok || !parsed) {
            var error = new Error(said(data) || "Something went wrong (" + response.status + ").");
            error.status = response.status;
            error.data = data;
            throw error;
          }
          return data;
        });
      });
  }

  // A page's form (the actions the API does not have).
  function post(url, body) { return request(url, {}, body || new FormData()); }

  // The moderation API, with a JSON body.
  function send(url, data) {
    return request(url, { "Content-Type": "application/json" }, JSON.stringify(data || {}));
  }

  function fields(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "next") data[name] = value;
    });
    return data;
  }

  function select(index, focus) {
    var all = items();
    if (!all.length) { current = -1; return; }
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (el, i) {
      el.classList.toggle("current", i === current);
      if (i === current) el.setAttribute("aria-current", "true"); else el.removeAttribute("aria-current");
    });
    if (focus !== false) {
      all[current].focus({ preventScroll: true });
      all[current].scrollIntoView({ block: "nearest" });
    }
  }

  function currentItem() {
    var all = items();
    return current >= 0 && current < all.length ? all[current] : null;
  }

  function adjustCount(delta) {
    var count = root.querySelector(".tab.current .tab-count");
    if (!count) return;
    var n = Math.max(0, parseInt(count.getAttribute("data-count"), 10) + delta);
    count.setAttribute("data-count", n);
    count.textContent = n;
  }

  function showUndo() {
    if (!undoForm) return;
    undoForm.hidden = false;
    clearTimeout(undoTimer);
    var seconds = parseInt(root.getAttribute("data-undo-seconds"), 10) || 10;
    undoTimer = setTimeout(function () { undoForm.hidden = true; }, seconds * 1000);
  }

  // "Your items in <queue> (N)": the number of items still held here.
  function recountHeld() {
    var heading = document.getElementById("held-heading");
    if (!heading) return;
    var n = items().length;
    heading.textContent = heading.textContent.replace(/\s*\(\d+\)\s*$/, "") + (n ? " (" + n + ")" : "");
  }

  // The tabs' counts as the server has them now (other moderators decide too).
  function recountTabs() {
    var nav = root.querySelector(".queue-tabs");
    var url = nav && nav.getAttribute("data-counts-url");
    if (!url || !window.fetch) return;
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.tabs) return;
        Object.keys(data.tabs).forEach(function (queue) {
          var count = nav.querySelector('.tab[data-queue="' + queue + '"] .tab-count');
          if (!count) return;
          count.setAttribute("data-count", data.tabs[queue].count);
          count.textContent = data.tabs[queue].count;
        });
      })
      .catch(function () {});
  }

  function afterDecision(item, message) {
    var all = items();
    var index = all.indexOf(item);
    item.remove();
    adjustCount(-1);
    recountHeld();
    recountTabs();
    say(message);
    showUndo();
    if (!items().length && list) {
      var empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = "You hold no more items here. Claim the next ones to go on.";
      list.appendChild(empty);
      var claim = root.querySelector(".queue-controls button[type=submit]");
      if (claim) claim.focus();
      current = -1;
      return;
    }
    select(index < 0 ? 0 : index);
  }

  function decide(form) {
    var item = form.closest(".review-item");
    var action = form.querySelector("input[name=action]").value;
    var reason = form.querySelector("select[name=reason]");
    if (reason && !reason.value) {
      say("Choose a reason for the rejection, then press Enter.", true);
      reason.focus();
      return;
    }
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    var choice = fields(form);
    choice.version = parseInt(choice.version, 10);
    send(form.getAttribute("data-api"), choice)
      .then(function (data) {
        afterDecision(item, PAST_TENSE[action] + " the comment by " + data.comment.author + ".");
      })
      .catch(function (error) {
        buttons.forEach(function (b) { b.disabled = false; });
        var now = error.status === 409 && error.data && error.data.item;
        if (now && now.comment.version !== choice.version) {
          // The text changed since the moderator read it: show the item as it is now.
          var id = item && item.getAttribute("data-item");
          return refresh(true).then(function () {
            var fresh = id && document.getElementById("item-" + id);
            var note = fresh && fresh.querySelector(".item-error");
            if (note) { note.textContent = error.message; note.hidden = false; }
            if (fresh) { select(items().indexOf(fresh), true); }
            say(error.message, true);
          });
        }
        var note = item && item.querySelector(".item-error");
        if (note) { note.textContent = error.message; note.hidden = false; }
        say(error.message, true);
      });
  }

  // Re-read the page's parts from the server's own template, so script and page agree. The
  // page does not move: nothing here scrolls unless `focusFirst` asks to focus the first item.
  var PARTS = ["held-section", "waiting-section", "queue-controls", "review-items", "decided-section"];
  function refresh(focusFirst) {
    return fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        PARTS.forEach(function (id) {
          var fresh = doc.getElementById(id), old = document.getElementById(id);
          if (fresh && old) old.replaceWith(document.adoptNode(fresh));
        });
        var tabs = doc.querySelector(".queue-tabs"), oldTabs = root.querySelector(".queue-tabs");
        if (tabs && oldTabs) oldTabs.replaceWith(document.adoptNode(tabs));
        list = document.getElementById("review-items");
        undoForm = root.querySelector(".undo-form");
        showKeysButton();
        select(0, !!focusFirst);
      });
  }

  function claim() {
    var form = root.querySelector(".claim-form");
    if (!form) return;
    var button = form.querySelector("button");
    button.disabled = true;
    var choice = fields(form);
    choice.count = parseInt(choice.count, 10);
    send(form.getAttribute("data-api"), choice)
      .then(function (data) {
        var n = (data.results || []).length;
        var message = n
          ? "You hold " + n + " item" + (n === 1 ? "" : "s") + " of the " + choice.queue + " queue."
          : "Nothing left to claim in the " + choice.queue + " queue.";
        return refresh(false).then(function () { say(message); });
      })
      .catch(function (error) { say(error.message, true); })
      .finally(function () {
        var again = root.querySelector(".claim-form button");
        if (again) again.disabled = false;
      });
  }

  function bulk(form, submitter) {
    var choice = fields(form);
    if (submitter && submitter.name) choice[submitter.name] = submitter.value;
    choice.items = Array.prototype.map.call(
      document.querySelectorAll("input.item-select:checked"),
      function (box) {
        var pair = box.value.split(":");
        return { id: parseInt(pair[0], 10), version: parseInt(pair[1], 10) };
      }
    );
    send(form.getAttribute("data-api"), choice)
      .then(function (data) {
        var results = data.results || [];
        var done = results.filter(function (r) { return r.ok; }).length;
        var failed = results.filter(function (r) { return !r.ok; });
        return refresh(false).then(function () {
          var text = done + " item" + (done === 1 ? "" : "s") + " decided.";
          failed.forEach(function (r) { text += " Item " + r.id + ": " + r.detail; });
          say(text, failed.length > 0);
          if (done) showUndo();
        });
      })
      .catch(function (error) { say(error.message, true); });
  }

  function reverseDecision(form) {
    var reason = form.querySelector("select[name=reason]");
    if (reason && !reason.value) { say("Choose a reason for the rejection.", true); reason.focus(); return; }
    post(form.getAttribute("action"), new FormData(form))
      .then(function (data) { return refresh(false).then(function () { say(data.detail || "Reversed."); }); })
      .catch(function (error) { say(error.message, true); });
  }

  function undo() {
    var url = root.getAttribute("data-undo-api");
    if (!url) return;
    send(url)
      .then(function (data) {
        say("Undone: item " + data.id + " is open again and yours.");
        if (undoForm) undoForm.hidden = true;
        return refresh(true);
      })
      .catch(function (error) { say(error.message, true); });
  }

  function askEscalationNote(item) {
    var note = item.querySelector(".escalate-form input[name=note]");
    if (!note) { say("This item is already escalated.", true); return; }
    note.focus();
    say("Write a note for senior moderators and press Enter to escalate, or Escape to cancel.");
  }

  function openReasons(item) {
    var select = item.querySelector(".reject-form select[name=reason]");
    if (select) select.focus();
    say("Choose a reason and press Enter to reject, or Escape to cancel.");
  }

  function toggleSelect(item) {
    var box = item.querySelector(".item-select");
    if (box) box.checked = !box.checked;
  }

  function showHelp() {
    if (!help) return;
    if (help.showModal) { if (!help.open) help.showModal(); } else help.setAttribute("open", "");
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("decide") && form.closest(".review-item")) {
      event.preventDefault();
      decide(form);
    } else if (form.classList.contains("undo-form")) {
      event.preventDefault();
      undo();
    } else if (form.classList.contains("claim-form")) {
      event.preventDefault();
      claim();
    } else if (form.id === "bulk-form") {
      event.preventDefault();
      bulk(form, event.submitter);
    } else if (form.classList.contains("reverse-form")) {
      event.preventDefault();
      reverseDecision(form);
    }
  });

  root.addEventListener("focusin", function (event) {
    var item = event.target.closest && event.target.closest(".review-item");
    if (item) {
      var index = items().indexOf(item);
      if (index !== current) select(index, false);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (help && help.open) return; // the dialog handles Escape itself
    // Inside the reason chooser or the escalation note: Enter confirms, Escape goes back to the item.
    if (target.matches && target.matches(".reject-form select, .reject-form input, .escalate-form input")) {
      var form = target.closest("form");
      if (event.key === "Enter") {
        event.preventDefault();
        var note = form.querySelector("input[name=note]");
        if (form.classList.contains("escalate-form") && !note.value.trim()) {
          say("Write the note for senior moderators first.", true);
          return;
        }
        decide(form);
      } else if (event.key === "Escape") {
        event.preventDefault();
        var owner = form.closest(".review-item");
        if (owner) owner.focus();
        say("");
      }
      return;
    }
    if (target.matches && target.matches("input, textarea, select, [contenteditable]")) return;
    if (event.key === "?") { event.preventDefault(); showHelp(); return; }
    if (event.key === "u" && undoForm && !undoForm.hidden) { event.preventDefault(); undo(); return; }
    if (event.key === "c" && root.querySelector(".claim-form")) { event.preventDefault(); claim(); return; }
    var all = items();
    if (!all.length) return;
    if (current < 0) current = 0;
    var item = currentItem();
    switch (event.key) {
      case "j": event.preventDefault(); select(current + 1); break;
      case "k": event.preventDefault(); select(current - 1); break;
      case "a": event.preventDefault(); decide(item.querySelector(".approve-form")); break;
      case "r": event.preventDefault(); openReasons(item); break;
      case "e": event.preventDefault(); askEscalationNote(item); break;
      case "x": event.preventDefault(); toggleSelect(item); break;
      default:
    }
  });

  function showKeysButton() {
    keysButton = root.querySelector(".keys-button");
    if (keysButton) keysButton.hidden = false;
  }
  showKeysButton();
  root.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".keys-button")) showHelp();
  });

  // Hold the claimed items while the page is open: the lease would run out in a few minutes.
  var renewUrl = root.getAttribute("data-renew-api");
  var leaseSeconds = parseInt(root.getAttribute("data-lease-seconds"), 10) || 300;
  if (renewUrl) {
    setInterval(function () {
      if (items().length && !document.hidden) send(renewUrl).catch(function () {});
    }, Math.max(15, leaseSeconds / 3) * 1000);
  }

  if (items().length) select(0, false);
})();
