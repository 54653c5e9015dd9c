// Optional: reloads the page when the status changes. Asks for status.json's ETag once a
// minute (a 304 costs a few bytes) and reloads only when it differs. Without script the
// page is complete; this only saves a reader pressing reload.
(function () {
  "use strict";
  var url = "/api/v2/status.json";
  var seen = null;
  function check() {
    if (document.hidden) return;
    fetch(url, { method: "HEAD", cache: "no-cache" }).then(function (response) {
      var tag = response.ok ? response.headers.get("ETag") : null;
      if (!tag) return;
      if (seen !== null && tag !== seen) location.reload();
      seen = tag;
    }).catch(function () {});
  }
  check();
  setInterval(check, 60000);
  document.addEventListener("visibilitychange", check);
})();
