// Plaudit's own script: small, served from /static/, allowed by the CSP nonce.
// htmx does the page updates; this file only adds what htmx does not.
(function () {
  "use strict";
  // After htmx swaps in content that announces itself (role=status/alert), move focus
  // there only if focus was lost with the swapped element, so keyboard users are not stranded.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && !document.body.contains(document.activeElement)) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
})();
