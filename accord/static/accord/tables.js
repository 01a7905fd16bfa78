// Stacked tables keep their column labels on small screens: every data cell without a
// data-label takes the text of its column's header (the stylesheet shows it before the
// cell under 40rem). Run on load and on every fragment htmx swaps in.
(function () {
  "use strict";

  function labelTables(root) {
    root.querySelectorAll("table.data-table").forEach(function (table) {
      var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (cell.tagName !== "TD" || cell.hasAttribute("colspan")) {
            return;
          }
          if (!cell.hasAttribute("data-label") && headers[index]) {
            cell.setAttribute("data-label", headers[index]);
          }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelTables(document);
  });
  document.addEventListener("htmx:afterSettle", function () {
    labelTables(document);
  });
})();
