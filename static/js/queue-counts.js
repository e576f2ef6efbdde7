// Keeps the queue tabs' counts and oldest ages current while a moderator's page is open. It asks
// the address the tabs give in `data-counts-url` every `data-poll-seconds`; the server answers 304
// while nothing changed. A count the moderator's own decisions change is adjusted by moderation.js.
(function () {
  "use strict";
  var tabsNav = document.querySelector(".queue-tabs");
  if (!tabsNav || !window.fetch) return;
  var countsUrl = tabsNav.getAttribute("data-counts-url");
  var pollSeconds = parseInt(tabsNav.getAttribute("data-poll-seconds"), 10);
  var countsTag = null;
  function pollCounts() {
    if (document.hidden) return;
    var headers = { Accept: "application/json" };
    if (countsTag) headers["If-None-Match"] = countsTag;
    fetch(countsUrl, { credentials: "same-origin", cache: "no-store", headers: headers })
      .then(function (response) {
        if (response.status !== 200) return null;
        countsTag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (!data || !data.tabs) return;
        Object.keys(data.tabs).forEach(function (queue) {
          var tab = tabsNav.querySelector('.tab[data-queue="' + queue + '"]');
          if (!tab) return;
          var count = tab.querySelector(".tab-count");
          count.setAttribute("data-count", data.tabs[queue].count);
          count.textContent = data.tabs[queue].count;
          tab.querySelector(".tab-age").textContent = data.tabs[queue].oldest;
        });
      })
      .catch(function () {});
  }
  if (countsUrl && pollSeconds > 0) setInterval(pollCounts, pollSeconds * 1000);
})();
