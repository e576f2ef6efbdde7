// Edit in place, Delete with a confirmation, Copy link: the comment's own actions, with the
// helpers of comments.js. Without this script each is a page or a link.
(function () {
  "use strict";
  var c = window.newsroomComments;
  if (!c) return;
  var section = c.section, api = c.api, note = c.note, region = c.region, countDown = c.countDown;
  var freshPage = c.freshPage, syncCounts = c.syncCounts, LIMIT = c.LIMIT;

  function button(type, text, className) {
    var made = document.createElement("button");
    made.type = type;
    made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  // --- Delete: a small confirmation in place, then the result said at the comment.
  function confirmDelete(link) {
    var item = link.closest("li.comment");
    if (item.querySelector(".confirm-delete")) return;
    var live = region(item);
    var box = document.createElement("span");
    box.className = "confirm-delete";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Delete this comment?");
    var question = document.createElement("span");
    question.textContent = "Delete this comment?";
    var yes = button("button", "Yes, delete", "action danger-action");
    var no = button("button", "Cancel", "action");
    box.append(question, yes, no);
    link.insertAdjacentElement("afterend", box);
    link.hidden = true;
    yes.focus();
    no.addEventListener("click", function () {
      box.remove();
      link.hidden = false;
      link.focus();
    });
    yes.addEventListener("click", function () {
      api("DELETE", link.getAttribute("data-api"))
        .then(function () {
          var article = item.querySelector(":scope > article");
          var placeholder = document.createElement("p");
          placeholder.className = "comment-body deleted";
          placeholder.textContent = "[deleted]";
          article.replaceChildren(placeholder);
          article.focus();
          live.textContent = "Your comment was deleted.";
          return freshPage().then(syncCounts);
        })
        .catch(function (error) {
          box.remove();
          link.hidden = false;
          note(item, error.message, true);
        });
    });
  }

  // --- Edit in place: the text box replaces the text until saved or cancelled.
  function startEdit(link) {
    var item = link.closest("li.comment");
    if (item.querySelector(".inline-edit")) return;
    var article = item.querySelector(":scope > article");
    api("GET", link.getAttribute("data-api")).then(function (data) {
      var form = document.createElement("form");
      form.className = "inline-edit";
      var id = "edit-" + data.id;
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = "Edit your comment";
      var textarea = document.createElement("textarea");
      textarea.id = id;
      textarea.name = "body";
      textarea.rows = 5;
      textarea.required = true;
      textarea.setAttribute("data-limit", String(LIMIT));
      textarea.setAttribute("aria-describedby", id + "-count");
      textarea.value = data.edit ? data.edit.body : data.body;
      var count = document.createElement("span");
      count.className = "char-count";
      count.id = id + "-count";
      var save = button("submit", "Save");
      var cancel = button("button", "Cancel", "action");
      form.append(label, textarea, count, save, cancel);
      form.setAttribute("data-api", link.getAttribute("data-api"));
      // In place: the text box stands where the text was until it is saved or cancelled.
      var shown = article.querySelector(":scope > .comment-body");
      shown.insertAdjacentElement("afterend", form);
      shown.hidden = true;
      countDown(textarea);
      textarea.focus();
      cancel.addEventListener("click", function () {
        form.remove();
        shown.hidden = false;
        link.focus();
      });
    }).catch(function (error) { note(item, error.message, true); });
  }

  function saveEdit(form) {
    var item = form.closest("li.comment");
    var article = item.querySelector(":scope > article");
    api("PATCH", form.getAttribute("data-api"), { body: form.querySelector("textarea").value })
      .then(function (data) {
        form.remove();
        article.querySelector(":scope > .comment-body").hidden = false;
        var waiting = article.querySelector(":scope > .pending-edit");
        if (waiting) waiting.remove();
        if (data.edit) {
          // The approved text stays public and in place; the edit waits beside it.
          waiting = document.createElement("div");
          waiting.className = "pending-edit edit-" + data.edit.status;
          var label = document.createElement("p");
          label.className = "awaiting-label";
          label.textContent = data.edit.status === "rejected"
            ? "Your edit was not published. Readers see the text above."
            : "Your edit is awaiting moderation; readers see the text above until it is approved.";
          var body = document.createElement("div");
          body.className = "comment-body";
          body.innerHTML = data.edit.body_html; // rendered and escaped by the server
          waiting.append(label, body);
          article.querySelector(":scope > .comment-body").insertAdjacentElement("afterend", waiting);
        } else {
          article.querySelector(":scope > .comment-body").innerHTML = data.body_html;
        }
        note(item, data.edit ? "Your edit was saved and is awaiting moderation." : "Your edit was saved.");
        var edit = item.querySelector(":scope > article .edit-link");
        if (edit) edit.focus();
      })
      .catch(function (error) { note(item, error.message, true); });
  }

  // --- Copy link: the comment's permalink to the clipboard (without the script, a link to it).
  function copyLink(link) {
    var item = link.closest("li.comment");
    var done = function () { note(item, "Link copied."); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(link.href).then(done, function () { note(item, "Copy this link: " + link.href); });
    } else {
      note(item, "Copy this link: " + link.href);
    }
  }

  c.onLinks({ ".delete-link[data-api]": confirmDelete, ".edit-link[data-api]": startEdit, ".copy-link": copyLink });

  section.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches(".inline-edit")) return;
    event.preventDefault();
    if (!c.tooLong(form)) saveEdit(form);
  });
})();
