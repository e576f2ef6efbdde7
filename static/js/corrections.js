// Select a passage of the article and press Ctrl+Enter (Cmd+Enter on a Mac) to report a mistake
// in it. The page works without this: the dialog's form posts to the correction page.
(function () {
  "use strict";

  var MAX_QUOTE = 1000;
  var CONTEXT = 32;
  // In a newsroom's frame there is no article body here: the passage comes from the host page
  // (embed-frame.js calls newsroomCorrections.open).
  var body = document.getElementById("article-body");
  var dialog = document.getElementById("correction-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;

  var form = dialog.querySelector("form");
  var quoteBox = dialog.querySelector(".cd-quote");
  var tooLong = dialog.querySelector(".cd-too-long");
  var main = dialog.querySelector(".cd-body");
  var done = dialog.querySelector(".cd-done");
  var status = dialog.querySelector(".cd-status");
  var send = dialog.querySelector(".cd-send");
  var lastFocus = null;
  var passage = { quote: "", prefix: "", suffix: "" };

  var quoteField = form.querySelector('[data-field="quote"]');
  if (quoteField) quoteField.hidden = true;

  function field(name) {
    return form.elements[name];
  }

  function collapse(text) {
    return text.replace(/\s+/g, " ");
  }

  function textBetween(startNode, startOffset, endNode, endOffset) {
    var range = document.createRange();
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset);
    return range.toString();
  }

  function selectedPassage() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    var range = selection.getRangeAt(0);
    if (!body || !body.contains(range.commonAncestorContainer)) return null;
    var quote = range.toString();
    if (!quote.trim()) return null;
    var before = collapse(textBetween(body, 0, range.startContainer, range.startOffset));
    var after = collapse(textBetween(range.endContainer, range.endOffset, body, body.childNodes.length));
    return {
      quote: quote.trim(),
      prefix: before.slice(-CONTEXT).replace(/^\s+/, ""),
      suffix: after.slice(0, CONTEXT).replace(/\s+$/, ""),
    };
  }

  function clearErrors() {
    status.textContent = "";
    form.querySelectorAll(".field-error").forEach(function (el) { el.textContent = ""; });
    form.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }

  function open(found) {
    lastFocus = document.activeElement;
    clearErrors();
    done.hidden = true;
    if (found.quote.length > MAX_QUOTE) {
      tooLong.querySelector("p").textContent = "Your selection is " + found.quote.length +
        " characters long. Please select at most " + MAX_QUOTE.toLocaleString("en") +
        " characters, or use the correction form linked below the article.";
      tooLong.hidden = false;
      main.hidden = true;
      dialog.showModal();
      tooLong.querySelector("button").focus();
      return;
    }
    tooLong.hidden = true;
    main.hidden = false;
    passage = found;
    quoteBox.textContent = found.quote;
    field("quote").value = found.quote;
    field("prefix").value = found.prefix;
    field("suffix").value = found.suffix;
    dialog.showModal();
    field("message").focus();
  }

  function close() {
    dialog.close();
  }

  window.newsroomCorrections = { open: open };

  dialog.addEventListener("close", function () {
    if (lastFocus && lastFocus.focus) lastFocus.focus();
  });
  dialog.querySelectorAll(".cd-close").forEach(function (button) {
    button.addEventListener("click", close);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || dialog.open) return;
    var found = selectedPassage();
    if (!found) return;
    event.preventDefault();
    open(found);
  });

  // Touch screens have no Ctrl+Enter: a "Report this" button shows while text is selected.
  var touch = window.matchMedia && window.matchMedia("(hover: none), (pointer: coarse)");
  var reportButton = document.querySelector(".report-selection");
  var touchPassage = null;
  if (touch && reportButton) {
    document.addEventListener("selectionchange", function () {
      if (!touch.matches || dialog.open) return;
      touchPassage = selectedPassage();
      reportButton.hidden = !touchPassage;
    });
    // Keep the selection when the button is pressed; a tap elsewhere would clear it.
    reportButton.addEventListener("pointerdown", function (event) { event.preventDefault(); });
    reportButton.addEventListener("click", function () {
      var found = selectedPassage() || touchPassage;
      if (!found) return;
      reportButton.hidden = true;
      open(found);
    });
  }

  function showErrors(data) {
    var first = null;
    Object.keys(data).forEach(function (name) {
      if (name === "detail") return;
      var input = field(name);
      var box = form.querySelector('[data-field="' + name + '"]');
      if (!input || !box) return;
      box.classList.add("has-error");
      input.setAttribute("aria-invalid", "true");
      box.querySelector(".field-error").textContent = [].concat(data[name]).join(" ");
      first = first || input;
    });
    status.textContent = first ? "Please check the fields marked above." : (data.detail || "Something went wrong.");
    if (first) first.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    if (!field("message").value.trim()) {
      showErrors({ message: ["Please tell us what is wrong."] });
      return;
    }
    var payload = {
      quote: passage.quote,
      prefix: passage.prefix,
      suffix: passage.suffix,
      message: field("message").value,
      suggestion: field("suggestion").value,
      name: field("name").value,
      email: field("email").value,
      website: field("website").value,
    };
    send.disabled = true;
    status.textContent = "Sending…";
    // Only a signed-in reader's page has a token (their session needs it); an anonymous page is
    // shared by every reader and has none, and needs none for this JSON request.
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    var token = field("csrfmiddlewaretoken");
    if (token) headers["X-CSRFToken"] = token.value;
    fetch(dialog.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: JSON.stringify(payload),
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { response: response, data: data };
        });
      })
      .then(function (result) {
        if (result.response.status === 201) {
          status.textContent = "";
          main.hidden = true;
          done.hidden = false;
          done.focus();
          ["message", "suggestion"].forEach(function (name) { field(name).value = ""; });
          window.getSelection().removeAllRanges();
        } else if (result.response.status === 429) {
          var minutes = Math.ceil((parseInt(result.response.headers.get("Retry-After"), 10) || 600) / 60);
          status.textContent = "You have sent several reports in a short time. Please try again in about " +
            minutes + " minute" + (minutes === 1 ? "" : "s") + ".";
        } else {
          showErrors(result.data);
        }
      })
      .catch(function () {
        status.textContent = "The report could not be sent. Please check your connection and try again.";
      })
      .finally(function () {
        send.disabled = false;
      });
  });
})();
