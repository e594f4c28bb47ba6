// After a failed submit the reader starts at the list of what went wrong (the summary is
// first in main without this script too), and each link puts them in its field: a plain
// in-page link would only scroll there.
(function () {
  var summary = document.getElementById("error-summary");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    var details = field.closest("details");
    if (details) details.open = true;
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: "center" });
  });
})();
