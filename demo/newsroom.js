// The newsroom's own sign-in, as a CMS would have it: its backend (POST /token) signs a JWT for
// the subscriber, and the page hands it to the comments with NewsroomComments.login(token).
(function () {
  "use strict";
  var signIn = document.getElementById("sign-in");
  var signOut = document.getElementById("sign-out");
  var who = document.getElementById("who");
  var box = document.getElementById("newsroom-comments");

  function login() {
    fetch("/token", { method: "POST" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.token) throw new Error(data.detail || "no token");
        sessionStorage.setItem("courier-token", data.token);
        show(data.user.username);
        if (window.NewsroomComments) window.NewsroomComments.login(data.token);
      })
      .catch(function (error) { who.textContent = "Sign-in failed: " + error.message; });
  }

  function show(name) {
    who.textContent = name ? "Signed in as " + name : "";
    signIn.hidden = !!name;
    signOut.hidden = !name;
  }

  signIn.addEventListener("click", login);
  signOut.addEventListener("click", function () {
    sessionStorage.removeItem("courier-token");
    show("");
    if (window.NewsroomComments) window.NewsroomComments.logout();
  });
  // "Sign in to comment" in the frame (data-login-url="#sign-in" makes it ask us).
  box.addEventListener("newsroom-comments:login-request", function (event) { login(); });
  // A reader signed in on an earlier page: the comments sign them in as soon as they load (embed.js
  // is async: it may have loaded before this script or after).
  function resume() {
    var token = sessionStorage.getItem("courier-token");
    if (token && window.NewsroomComments) window.NewsroomComments.login(token);
  }
  box.addEventListener("newsroom-comments:ready", resume);
  if (sessionStorage.getItem("courier-token")) show("subscriber");
  resume();
})();
