// A little progressive enhancement; every page works without it.
document.addEventListener("DOMContentLoaded", () => {
  // Filters apply as soon as the "has contested claims" box changes.
  for (const box of document.querySelectorAll("form.filters input[type=checkbox]")) {
    box.addEventListener("change", () => box.form.requestSubmit());
  }
  // Hovering a coverage cell names its claim and outlet in the cell's row header.
  for (const cell of document.querySelectorAll("table.coverage td.cell")) {
    cell.addEventListener("mouseenter", () => cell.parentElement.classList.add("hover"));
    cell.addEventListener("mouseleave", () => cell.parentElement.classList.remove("hover"));
  }
});
