/* The idle timeout's warning (等保 2.0 三级: 会话超时): SESSION_WARNING_SECONDS before the session
   expires (SESSION_COOKIE_AGE after the last request) a notice appears; 「继续使用」 makes a request,
   which renews the session. When the time is up the page reloads and the server asks for a login.
   No inline script: the CSP allows scripts from this site only. */
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-session-idle") || "0", 10);
  var warning = parseInt(body.getAttribute("data-session-warning") || "120", 10);
  var notice = document.getElementById("session-warning");
  if (!idle || !notice) { return; }
  var warnTimer = null;
  var endTimer = null;
  function arm() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    notice.hidden = true;
    warnTimer = setTimeout(function () { notice.hidden = false; }, Math.max(0, idle - warning) * 1000);
    endTimer = setTimeout(function () { window.location.reload(); }, (idle + 2) * 1000);
  }
  var keep = document.getElementById("session-keep");
  if (keep) {
    keep.addEventListener("click", function () {
      fetch(body.getAttribute("data-keepalive"), {credentials: "same-origin"}).then(arm);
    });
  }
  document.addEventListener("htmx:afterRequest", arm);
  arm();
})();
