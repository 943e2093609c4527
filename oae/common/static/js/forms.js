/* Forms: when a page comes back with an error summary, the focus goes to it (screen readers
   read it out), and each of its links moves the focus to the field it names: an in-page link
   alone scrolls to the field without focusing it. A static file: the CSP allows no inline script. */
(function () {
  "use strict";
  function focusField(event) {
    // Listened for on the document: a summary htmx swaps in later (which htmx focuses, by its
    // autofocus) has its links followed too.
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) { return; }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  }
  document.addEventListener("click", focusField);
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary && document.activeElement !== summary) { summary.focus(); }
  });
}());
